import type { Flow } from '@surgewatch/shared';
import protobuf from 'protobufjs';
import { canonicalIpBytes, ipTextToBytes } from './address.js';
import { finishFlow, reject } from './finishFlow.js';
import { FIELD, FLOW_TYPE, FlowMessage } from './goflow2Schema.js';
import { nsHiLoToMs } from './nanoTime.js';
import { ETYPE } from './protocols.js';
import type { DecodeContext, DecodeResult } from './types.js';

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

/** Decodes the FlowMessage in `r` between `r.pos` and `r.len`: one flow or one reject. */
function decodeFrame(r: Reader, ctx: DecodeContext, out: DecodeResult): void {
  const buf = r.buf;
  let srcAt = 0;
  let srcLen = 0;
  let dstAt = 0;
  let dstLen = 0;
  let exporterAt = 0;
  let exporterLen = 0;
  let bytes = 0;
  let packets = 0;
  let sampling = 0;
  let proto = 0;
  let sport = 0;
  let dport = 0;
  let tcpFlags = 0;
  let srcAs = 0;
  let dstAs = 0;
  let endMs = 0;
  let startMs = 0;
  let receivedMs = 0;
  let etype = 0;
  while (r.pos < r.len) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 0) throw new MalformedFrame('field number 0');
    switch (field) {
      case FIELD.src_addr:
        expectWireType(field, wireType, 2);
        srcLen = r.uint32();
        srcAt = skipBytes(r, srcLen);
        break;
      case FIELD.dst_addr:
        expectWireType(field, wireType, 2);
        dstLen = r.uint32();
        dstAt = skipBytes(r, dstLen);
        break;
      case FIELD.sampler_address:
        expectWireType(field, wireType, 2);
        exporterLen = r.uint32();
        exporterAt = skipBytes(r, exporterLen);
        break;
      case FIELD.bytes:
        expectWireType(field, wireType, 0);
        bytes = readUint64(r);
        break;
      case FIELD.packets:
        expectWireType(field, wireType, 0);
        packets = readUint64(r);
        break;
      case FIELD.sampling_rate:
        expectWireType(field, wireType, 0);
        sampling = readUint64(r);
        break;
      case FIELD.time_flow_end_ns:
        expectWireType(field, wireType, 0);
        endMs = readNsAsMs(r);
        break;
      case FIELD.time_flow_start_ns:
        expectWireType(field, wireType, 0);
        startMs = readNsAsMs(r);
        break;
      case FIELD.time_received_ns:
        expectWireType(field, wireType, 0);
        receivedMs = readNsAsMs(r);
        break;
      case FIELD.proto:
      case FIELD.src_port:
      case FIELD.dst_port:
      case FIELD.tcp_flags:
      case FIELD.src_as:
      case FIELD.dst_as:
      case FIELD.etype: {
        expectWireType(field, wireType, 0);
        const v = r.uint32();
        if (field === FIELD.proto) proto = v;
        else if (field === FIELD.src_port) sport = v;
        else if (field === FIELD.dst_port) dport = v;
        else if (field === FIELD.tcp_flags) tcpFlags = v;
        else if (field === FIELD.src_as) srcAs = v;
        else if (field === FIELD.dst_as) dstAs = v;
        else etype = v;
        break;
      }
      default:
        r.skipType(wireType);
    }
  }
  // protobufjs's uint32() may read past `len` without complaint: catch a field that did.
  if (r.pos !== r.len) throw new MalformedFrame('last field runs past the frame');

  if (srcLen === 0 && dstLen === 0) {
    return reject(out, 'bad_address', `no IP addresses (etype 0x${etype.toString(16)})`);
  }
  const src = canonicalIpBytes(buf, srcAt, srcLen);
  if (src === undefined) return reject(out, 'bad_address', `src_addr: ${srcLen} bytes`);
  const dst = canonicalIpBytes(buf, dstAt, dstLen);
  if (dst === undefined) return reject(out, 'bad_address', `dst_addr: ${dstLen} bytes`);
  const exporter = exporterLen === 0 ? '' : canonicalIpBytes(buf, exporterAt, exporterLen);
  if (exporter === undefined) {
    return reject(out, 'bad_address', `sampler_address: ${exporterLen} bytes`);
  }
  if (proto > 255) return reject(out, 'wrong_type', `proto: ${proto} > 255`);
  if (sport > 65535 || dport > 65535) return reject(out, 'wrong_type', 'port > 65535');
  if (tcpFlags > 0xffff) return reject(out, 'wrong_type', `tcp_flags: ${tcpFlags} > 65535`);

  finishFlow(
    {
      end: endMs === 0 ? receivedMs : endMs,
      start: startMs,
      src,
      dst,
      sport,
      dport,
      proto,
      bytes,
      packets,
      sampling,
      tcpFlags,
      srcAs,
      dstAs,
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
      const bug = err instanceof TypeError || err instanceof ReferenceError;
      const detail = err instanceof Error ? err.message.slice(0, 120) : 'throw';
      reject(out, bug ? 'internal_error' : 'binary_garbage', detail);
    }
    r.pos = end;
    for (let i = rejectsBefore; i < out.rejects.length; i++) {
      const rej = out.rejects[i];
      if (rej !== undefined) rej.detail = `frame ${frame}: ${rej.detail}`;
    }
  }
}

const NS_PER_MS = 1_000_000n;

function uint64(value: bigint): { low: number; high: number; unsigned: boolean } | undefined {
  if (value === 0n) return undefined;
  return { low: Number(value & 0xffffffffn), high: Number(value >> 32n), unsigned: true };
}

/** Drops zero and empty fields, as Go's proto3 marshaller leaves them out of the wire. */
function withoutDefaults(message: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(message)) {
    const v = message[key];
    if (v === undefined || v === 0 || (v instanceof Uint8Array && v.length === 0)) {
      delete message[key];
    }
  }
  return message;
}

/**
 * Encodes flows as a goflow2 v2 `-format=bin` message, one varint-length-delimited
 * `flowpb.FlowMessage` per flow (goflow2 itself sends one per Kafka message: pass one flow
 * for that). Times go out as ns; counters are divided back by `sampling` (rounded) since
 * goflow2 sends sampled counts. Addresses must be canonical text (as decoders produce).
 */
export function encodeGoflow2Pb(flows: readonly Flow[]): Buffer {
  const writer = protobuf.Writer.create();
  flows.forEach((f, i) => {
    const src = ipTextToBytes(f.src);
    FlowMessage.encodeDelimited(
      withoutDefaults({
        type: FLOW_TYPE.NETFLOW_V9,
        time_received_ns: uint64(BigInt(f.end) * NS_PER_MS),
        sequence_num: i,
        sampling_rate: uint64(BigInt(f.sampling)),
        sampler_address: f.exporter === '' ? new Uint8Array(0) : ipTextToBytes(f.exporter),
        time_flow_start_ns: uint64(BigInt(f.start) * NS_PER_MS),
        time_flow_end_ns: uint64(BigInt(f.end) * NS_PER_MS),
        bytes: uint64(BigInt(Math.round(f.bytes / f.sampling))),
        packets: uint64(BigInt(Math.round(f.packets / f.sampling))),
        src_addr: src,
        dst_addr: ipTextToBytes(f.dst),
        etype: src.length === 4 ? ETYPE.IPv4 : ETYPE.IPv6,
        proto: f.proto,
        src_port: f.sport,
        dst_port: f.dport,
        tcp_flags: f.tcpFlags,
        src_as: f.srcAs,
        dst_as: f.dstAs,
      }),
      writer,
    );
  });
  const bytes = writer.finish();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
