import { describe, expect, it } from 'vitest';
import { goflow2ProtoName, PROTO_UNKNOWN, pmacctProtoName, protoFromName } from './protocols.js';

describe('protoFromName', () => {
  it('maps the names goflow2 and pmacct write', () => {
    expect(protoFromName('TCP')).toBe(6);
    expect(protoFromName('UDP')).toBe(17);
    expect(protoFromName('ICMP')).toBe(1);
    expect(protoFromName('ICMPv6')).toBe(58); // goflow2 ≤ v2.1
    expect(protoFromName('IPv6-ICMP')).toBe(58); // goflow2 ≥ v2.2
    expect(protoFromName('GRE')).toBe(47);
    expect(protoFromName('ESP')).toBe(50);
    expect(protoFromName('SCTP')).toBe(132);
    expect(protoFromName('tcp')).toBe(6);
    expect(protoFromName('ipv6-icmp')).toBe(58);
    expect(protoFromName('IPcomp')).toBe(108);
    expect(protoFromName('ospf')).toBe(89);
    expect(protoFromName('Udp')).toBe(17);
  });

  it('maps decimal digits, and the "do not know" names to PROTO_UNKNOWN', () => {
    expect(protoFromName('47')).toBe(47);
    expect(protoFromName('0')).toBe(0);
    expect(protoFromName('255')).toBe(255);
    expect(protoFromName('256')).toBeUndefined();
    expect(protoFromName('')).toBe(PROTO_UNKNOWN);
    expect(protoFromName('unknown')).toBe(PROTO_UNKNOWN);
    expect(protoFromName('unassigned')).toBe(PROTO_UNKNOWN);
    expect(protoFromName('BANANA')).toBeUndefined();
  });

  it('inverts both collectors’ name tables for every protocol number', () => {
    for (let proto = 0; proto <= 255; proto++) {
      expect(protoFromName(pmacctProtoName(proto))).toBe(proto);
      if (proto <= 145) expect(protoFromName(goflow2ProtoName(proto))).toBe(proto);
      else expect(protoFromName(goflow2ProtoName(proto))).toBe(PROTO_UNKNOWN);
    }
    expect(goflow2ProtoName(145)).toBe('NSH');
    expect(goflow2ProtoName(200)).toBe('unassigned');
    expect(pmacctProtoName(200)).toBe('200');
  });
});
