import type { SourceStatus } from '@surgewatch/shared';
import { describe, expect, it } from 'vitest';
import { lastUpdateItem, sourceHealthItems } from './sourceHealth.js';

const kafka: SourceStatus = {
  kind: 'kafka',
  connected: true,
  lag: 12_400,
  recordsPerSec: 48_200,
  decodeErrors: 1234,
  lastRecordTs: 100_000,
};

const byId = (items: ReturnType<typeof sourceHealthItems>) =>
  Object.fromEntries(items.map((i) => [i.id, i]));

describe('sourceHealthItems', () => {
  it('describes a healthy Kafka source', () => {
    const items = byId(sourceHealthItems(kafka, 102_500));
    expect(items.kind?.value).toBe('Kafka');
    expect(items.connected).toMatchObject({ value: 'Connected', level: 'ok' });
    expect(items.rate?.value).toBe('48.2k/s');
    expect(items.errors?.value).toBe('1,234');
    expect(items.lag?.value).toBe('12.4k');
    expect(items.age).toMatchObject({ value: '2.5 s ago', level: 'ok' });
  });

  it('flags a disconnected source, its reason and an old newest record', () => {
    const items = byId(
      sourceHealthItems(
        { ...kafka, connected: false, message: 'broker down', recordsPerSec: 0 },
        200_000,
      ),
    );
    expect(items.connected).toMatchObject({ value: 'Disconnected', level: 'bad' });
    expect(items.connected?.detail).toBe('broker down');
    expect(items.rate?.level).toBe('neutral');
    expect(items.age).toMatchObject({ value: '1 min 40 s ago', level: 'bad' });
  });

  it('omits lag where it does not apply and warns on a silent connected source', () => {
    const items = byId(
      sourceHealthItems(
        { ...kafka, kind: 'demo', lag: null, recordsPerSec: 0, lastRecordTs: null },
        0,
      ),
    );
    expect(items.lag).toBeUndefined();
    expect(items.rate?.level).toBe('warn');
    expect(items.age).toMatchObject({ value: 'none yet', level: 'bad' });
  });

  it('says it is waiting before any status arrived', () => {
    expect(sourceHealthItems(null, 0)).toEqual([
      { id: 'connected', label: 'Source', value: 'waiting for the server', level: 'warn' },
    ]);
  });
});

describe('lastUpdateItem', () => {
  it('grades the time since the last tick', () => {
    expect(lastUpdateItem(1000, 1800)).toMatchObject({ value: '0.8 s ago', level: 'ok' });
    expect(lastUpdateItem(1000, 4600)).toMatchObject({ value: '3.6 s ago', level: 'warn' });
    expect(lastUpdateItem(1000, 31_000)).toMatchObject({ value: '30 s ago', level: 'bad' });
    expect(lastUpdateItem(null, 5)).toMatchObject({ value: 'never', level: 'bad' });
  });
});
