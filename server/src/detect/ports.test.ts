import { describe, expect, it } from 'vitest';
import { portSide, serviceName } from './ports.js';
import type { SampledFlowView } from './reader.js';

function f(proto: number, sport: number, dport: number, vector = 'udp'): SampledFlowView {
  return {
    sport,
    dport,
    proto,
    vector,
    country: 'RU',
    region: 'Eastern Europe',
    continent: 'Europe',
    asn: 'AS1',
    destination: '203.0.113.10',
    service: 'web',
    protocol: proto === 6 ? 'TCP' : 'UDP',
  };
}

describe('portSide', () => {
  it('names reflection by its source port, even toward a low destination port', () => {
    expect(portSide(f(17, 11211, 5000, 'udp-amp-memcached'))).toBe('source');
    expect(portSide(f(17, 53, 80, 'udp-amp-dns'))).toBe('source');
  });

  it('names the service side otherwise, the destination on a tie', () => {
    expect(portSide(f(6, 51234, 443, 'tcp-syn'))).toBe('destination'); // SYN flood
    expect(portSide(f(6, 80, 40000, 'tcp'))).toBe('source'); // SYN-ACK reflection off web servers
    expect(portSide(f(6, 3306, 40000, 'tcp'))).toBe('source');
    expect(portSide(f(17, 40001, 40000))).toBe('destination'); // random-port UDP flood
    expect(portSide(f(6, 80, 443, 'tcp'))).toBe('destination');
    expect(portSide(f(6, 0, 443, 'tcp'))).toBe('destination');
  });

  it('gives none to flows without ports', () => {
    expect(portSide(f(1, 0, 0, 'icmp'))).toBeNull();
    expect(portSide(f(17, 0, 0, 'fragment'))).toBeNull();
    expect(portSide(f(47, 5, 6, 'other'))).toBeNull();
  });

  it('names well-known services', () => {
    expect(serviceName(17, 53)).toBe('DNS');
    expect(serviceName(17, 443)).toBe('QUIC');
    expect(serviceName(6, 443)).toBe('HTTPS');
    expect(serviceName(6, 31337)).toBe('');
  });
});
