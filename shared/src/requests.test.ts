import { describe, expect, it } from 'vitest';
import { ackRequestSchema, silenceRequestSchema } from './requests.js';

describe('request schemas', () => {
  it('take a well-formed ack and silence', () => {
    expect(ackRequestSchema.parse({ id: 'a:total:1', note: 'on it' })).toEqual({
      id: 'a:total:1',
      note: 'on it',
    });
    expect(
      silenceRequestSchema.parse({ matchers: { country: 'RU' }, durationMin: 15, reason: 'x' }),
    ).toEqual({ matchers: { country: 'RU' }, durationMin: 15, reason: 'x' });
  });

  it('refuse extra keys, empty matchers, endless silences and huge notes, naming each', () => {
    const ack = ackRequestSchema.safeParse({ id: '', note: 'x'.repeat(1001), extra: 1 });
    expect(ack.error?.issues.map((i) => i.path.join('.') || i.code).sort()).toEqual([
      'id',
      'note',
      'unrecognized_keys',
    ]);
    const sil = silenceRequestSchema.safeParse({ matchers: {}, durationMin: 1e9, reason: '' });
    expect(sil.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'durationMin',
      'matchers',
      'reason',
    ]);
  });
});
