import { describe, expect, it } from 'vitest';
import { isVector, REFLECTION_VECTORS, VECTOR_NAMES, VECTOR_TABLE, VECTORS } from './vectors.js';

describe('vector table', () => {
  it('names every vector, each name once', () => {
    for (const k of VECTORS) expect(VECTOR_NAMES[k], k).toMatch(/\S/);
    expect(new Set(Object.values(VECTOR_NAMES)).size).toBe(VECTORS.length);
    expect(new Set(VECTORS).size).toBe(VECTORS.length);
  });

  it('keeps every key stored data and rules already use', () => {
    for (const k of [
      'tcp-syn',
      'tcp',
      'udp-amp-dns',
      'udp-amp-ntp',
      'udp-amp-snmp',
      'udp-amp-cldap',
      'udp-amp-ssdp',
      'udp-amp-memcached',
      'udp-amp-chargen',
      'udp-amp-other',
      'udp',
      'icmp',
      'fragment',
      'other',
    ]) {
      expect(VECTORS).toContain(k);
    }
  });

  it('gives each kind its own fields, and reflection ports to one vector each', () => {
    for (const v of VECTOR_TABLE) {
      expect(v.ports !== undefined, v.key).toBe(v.kind === 'reflection');
      if (v.flags) expect(v.kind, v.key).toBe('tcp-flags');
      if (v.protos) expect(v.kind, v.key).toBe('protocol');
    }
    const ports = VECTOR_TABLE.flatMap((v) => v.ports ?? []);
    expect(new Set(ports).size).toBe(ports.length);
  });

  it('tells keys from other strings', () => {
    expect(isVector('udp-amp-ike')).toBe(true);
    expect(isVector('UDP')).toBe(false);
  });

  it('lists the UDP reflection vectors', () => {
    expect(REFLECTION_VECTORS).toEqual(VECTORS.filter((k) => k.startsWith('udp-amp-')));
  });
});
