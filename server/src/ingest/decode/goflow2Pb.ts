import protobuf from 'protobufjs';
import { canonicalIpBytes } from './address.js';
import { finishFlow, reject } from './finishFlow.js';
import { FIELD } from './goflow2Schema.js';
import { nsHiLoToMs } from './nanoTime.js';
import type { DecodeContext, DecodeResult } from './types.js';

export { encodeGoflow2Pb } from './encode.js';

type Reader = protobuf.Reader;

/** Bytes that do not follow the FlowMessage wire format. */
class MalformedFrame extends Error {}

// The last 64-bit varint read, as 32-bit halves: protobufjs would hand back a Long (or,
// without the optional `long` module, a rounded double), and ns epochs need every bit.
const u64 = { lo: 0, hi: 0 };

function readVarint64(r: Reader): void {
  const { buf, len } = r;
  let pos = r.pos;
  let lo = 0;
  let hi = 0;
  let b = 0x80;
  for (let shift = 0; shift < 28 && b >= 0x80; shift += 7) {
    if (pos >= len) throw new MalformedFrame('truncated varint');
    b = buf[pos++] ?? 0;
    lo |= (b & 0x7f) << shift;
  }
  if (b >= 0x80) {
    if (pos >= len) throw new MalformedFrame('truncated varint');
    b = buf[pos++] ?? 0;
    lo |= (b & 0x0f) << 28;
    hi = (b & 0x7f) >> 4;
    for (let shift = 3; shift < 38 && b >= 0x80; shift += 7) {
      if (pos >= len) throw new MalformedFrame('truncated varint');
      b = buf[pos++] ?? 0;
      hi |= (b & 0x7f) << shift;
    }
    if (b >= 0x80) throw new MalformedFrame('varint longer than 10 bytes');
  }
  r.pos = pos;
  u64.lo = lo >>> 0;
  u64.hi = hi >>> 0;
}

/** A uint64 varint as a number; NaN when ≥ 2^53 (caught later as a bad counter). */
function readUint64(r: Reader): number {
  readVarint64(r);
  return u64.hi < 0x200000 ? u64.hi * 4294967296 + u64.lo : Number.NaN;
}

/** A uint64 varint of ns epoch as exact ms epoch. */
function readNsAsMs(r: Reader): number {
  readVarint64(r);
  return nsHiLoToMs(u64.hi, u64.lo);
}

function expectWireType(field: number, wireType: number, expected: number): void {
  if (wireType !== expected) {
    throw new MalformedFrame(`field ${field}: wire type ${wireType}, expected ${expected}`);
  }
}

/** Skips a length-delimited field's payload and returns where it started. */
function skipBytes(r: Reader, length: number): number {
  const at = r.pos;
  if (at + length > r.len) throw new MalformedFrame('truncated bytes field');
  r.pos = at + length;
  return at;
}

/** The fields of one FlowMessage that surgewatch reads; addresses as offsets into the buffer. */
class Frame {
  srcAt = 0;
  srcLen = 0;
  dstAt = 0;
  dstLen = 0;
  exporterAt = 0;
  exporterLen = 0;
  bytes = 0;
  packets = 0;
  sampling = 0;
  proto = 0;
  sport = 0;
  dport = 0;
  tcpFlags = 0;
  srcAs = 0;
  dstAs = 0;
  endMs = 0;
  startMs = 0;
  receivedMs = 0;
  etype = 0;
}

/** Reads the FlowMessage in `r` between `r.pos` and `r.len`; throws MalformedFrame. */
function parseFrame(r: Reader, f: Frame): void {
  while (r.pos < r.len) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 0) throw new MalformedFrame('field number 0');
    switch (field) {
      case FIELD.src_addr:
        expectWireType(field, wireType, 2);
        f.srcLen = r.uint32();
        f.srcAt = skipBytes(r, f.srcLen);
        break;
      case FIELD.dst_addr:
        expectWireType(field, wireType, 2);
        f.dstLen = r.uint32();
        f.dstAt = skipBytes(r, f.dstLen);
        break;
      case FIELD.sampler_address:
        expectWireType(field, wireType, 2);
        f.exporterLen = r.uint32();
        f.exporterAt = skipBytes(r, f.exporterLen);
        break;
      case FIELD.bytes:
        expectWireType(field, wireType, 0);
        f.bytes = readUint64(r);
        break;
      case FIELD.packets:
        expectWireType(field, wireType, 0);
        f.packets = readUint64(r);
        break;
      case FIELD.sampling_rate:
        expectWireType(field, wireType, 0);
        f.sampling = readUint64(r);
        break;
      case FIELD.time_flow_end_ns:
        expectWireType(field, wireType, 0);
        f.endMs = readNsAsMs(r);
        break;
      case FIELD.time_flow_start_ns:
        expectWireType(field, wireType, 0);
        f.startMs = readNsAsMs(r);
        break;
      case FIELD.time_received_ns:
        expectWireType(field, wireType, 0);
        f.receivedMs = readNsAsMs(r);
        break;
      case FIELD.proto:
        expectWireType(field, wireType, 0);
        f.proto = r.uint32();
        break;
      case FIELD.src_port:
        expectWireType(field, wireType, 0);
        f.sport = r.uint32();
        break;
      case FIELD.dst_port:
        expectWireType(field, wireType, 0);
        f.dport = r.uint32();
        break;
      case FIELD.tcp_flags:
        expectWireType(field, wireType, 0);
        f.tcpFlags = r.uint32();
        break;
      case FIELD.src_as:
        expectWireType(field, wireType, 0);
        f.srcAs = r.uint32();
        break;
      case FIELD.dst_as:
        expectWireType(field, wireType, 0);
        f.dstAs = r.uint32();
        break;
      case FIELD.etype:
        expectWireType(field, wireType, 0);
        f.etype = r.uint32();
        break;
      default:
        r.skipType(wireType);
    }
  }
  // protobufjs's uint32() may read past `len` without complaint: catch a field that did.
  if (r.pos !== r.len) throw new MalformedFrame('last field runs past the frame');
}

/** Decodes the FlowMessage in `r` between `r.pos` and `r.len`: one flow or one reject. */
function decodeFrame(r: Reader, ctx: DecodeContext, out: DecodeResult): void {
  const f = new Frame();
  try {
    parseFrame(r, f);
  } catch (err) {
    // protobufjs throws RangeError / Error("invalid wire type …") on malformed input
    const detail = err instanceof Error ? err.message.slice(0, 120) : 'malformed';
    return reject(out, 'binary_garbage', detail);
  }
  const buf = r.buf;
  if (f.srcLen === 0 && f.dstLen === 0) {
    return reject(out, 'bad_address', `no IP addresses (etype 0x${f.etype.toString(16)})`);
  }
  const src = canonicalIpBytes(buf, f.srcAt, f.srcLen);
  if (src === undefined) return reject(out, 'bad_address', `src_addr: ${f.srcLen} bytes`);
  const dst = canonicalIpBytes(buf, f.dstAt, f.dstLen);
  if (dst === undefined) return reject(out, 'bad_address', `dst_addr: ${f.dstLen} bytes`);
  const exporter = f.exporterLen === 0 ? '' : canonicalIpBytes(buf, f.exporterAt, f.exporterLen);
  if (exporter === undefined) {
    return reject(out, 'bad_address', `sampler_address: ${f.exporterLen} bytes`);
  }
  if (f.proto > 255) return reject(out, 'wrong_type', `proto: ${f.proto} > 255`);
  if (f.sport > 65535 || f.dport > 65535) return reject(out, 'wrong_type', 'port > 65535');
  if (f.tcpFlags > 0xffff) return reject(out, 'wrong_type', `tcp_flags: ${f.tcpFlags} > 65535`);

  finishFlow(
    {
      end: f.endMs === 0 ? f.receivedMs : f.endMs,
      start: f.startMs,
      src,
      dst,
      sport: f.sport,
      dport: f.dport,
      proto: f.proto,
      bytes: f.bytes,
      packets: f.packets,
      sampling: f.sampling,
      tcpFlags: f.tcpFlags,
      srcAs: f.srcAs,
      dstAs: f.dstAs,
      exporter,
    },
    ctx,
    out,
  );
}

/**
 * Decodes a goflow2 v2 `-format=bin` message: one or more frames, each a varint byte length
 * and a `flowpb.FlowMessage`. Times are uint64 ns in the input, exact ms out; counters are
 * sampled and scaled here by `sampling_rate` (0 = unknown → `ctx.defaultSampling`). Each
 * frame gives one flow or one reject (detail prefixed "frame N"); bytes that do not frame
 * give one `binary_garbage` reject for the rest of the message.
 */
export function decodeGoflow2Pb(value: Uint8Array, ctx: DecodeContext, out: DecodeResult): void {
  const total = value.length;
  if (total === 0) return reject(out, 'binary_garbage', 'empty message');
  const r = protobuf.Reader.create(value);
  for (let frame = 1; r.pos < total; frame++) {
    const rejectsBefore = out.rejects.length;
    r.len = total;
    let length = -1;
    try {
      length = r.uint32();
    } catch {
      // fall through: a length prefix that runs off the end
    }
    const end = r.pos + length;
    if (length <= 0 || end > total) {
      const what = length < 0 ? 'bad length prefix' : length === 0 ? 'empty frame' : 'truncated';
      return reject(out, 'binary_garbage', `frame ${frame}: ${what} at byte ${r.pos}`);
    }
    r.len = end;
    try {
      decodeFrame(r, ctx, out);
    } catch (err) {
      reject(out, 'internal_error', err instanceof Error ? err.message.slice(0, 120) : 'throw');
    }
    r.pos = end;
    for (let i = rejectsBefore; i < out.rejects.length; i++) {
      const rej = out.rejects[i];
      if (rej !== undefined) rej.detail = `frame ${frame}: ${rej.detail}`;
    }
  }
}
