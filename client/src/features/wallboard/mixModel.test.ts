import type { GroupStat } from '@surgewatch/shared';
import { VECTOR_NAMES, VECTORS } from '@surgewatch/shared';
import { describe, expect, it } from 'vitest';
import { mixParts, shortName } from './mixModel.js';

const g = (key: string, bps: number): GroupStat => ({
  key,
  name: key.toUpperCase(),
  bps,
  pps: 0,
  fps: 0,
  sources: 0,
  ratio: 1,
});

describe('mixParts', () => {
  it('splits the second into the largest keys and one "other" part adding up to 1', () => {
    const parts = mixParts(
      [g('tcp', 200), g('udp-amp-dns', 500), g('icmp', 100), g('other', 200)],
      2,
    );
    expect(parts.map((p) => p.key)).toEqual(['udp-amp-dns', 'tcp', 'other']);
    expect(parts.map((p) => p.share)).toEqual([0.5, 0.2, 0.3]);
    expect(parts[0]!.name).toBe('UDP-AMP-DNS');
  });

  it('has no "other" when the named keys cover everything, and nothing without traffic', () => {
    expect(mixParts([g('TCP', 3), g('UDP', 1)], 5).map((p) => p.key)).toEqual(['TCP', 'UDP']);
    expect(mixParts([], 5)).toEqual([]);
    expect(mixParts([g('TCP', 0)], 5)).toEqual([]);
    expect(mixParts(undefined, 5)).toEqual([]);
  });
});

describe('shortName', () => {
  it.each([
    ['UDP reflection: DNS (53)', 'DNS refl.'],
    ['UDP reflection: IKE (500/4500)', 'IKE refl.'],
    ['UDP reflection: other', 'other refl.'],
    ['TCP SYN-ACK reflection', 'SYN-ACK refl.'],
    ['TCP (established)', 'TCP est.'],
    ['TCP RST flood', 'TCP RST flood'],
    ['TCP', 'TCP'],
  ])('%s → %s', (name, short) => {
    expect(shortName(name)).toBe(short);
  });

  it('fits every vector name in a bar, and tells them apart', () => {
    const shorts = VECTORS.map((k) => shortName(VECTOR_NAMES[k]));
    for (const s of shorts) expect(s.length, s).toBeLessThanOrEqual(18);
    expect(new Set(shorts).size).toBe(VECTORS.length);
  });
});
