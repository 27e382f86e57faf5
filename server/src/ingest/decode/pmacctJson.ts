import { finishFlow, reject } from './finishFlow.js';
import {
  optionalAddress,
  optionalNumber,
  optionalUint,
  optionalUintOrDigits,
  quote,
  requiredAddress,
  requiredNumber,
  type JsonObject,
} from './jsonFields.js';
import { parsePmacctTime } from './pmacctTime.js';
import { PROTO_UNKNOWN, protoFromName } from './protocols.js';
import type { DecodeContext, DecodeResult } from './types.js';

/**
 * Reads a pmacct timestamp field (a string, see pmacctTime.ts; a JSON number of seconds is
 * tolerated) as ms epoch. Returns 0 when absent or pmacct's "time zero", `undefined` after
 * pushing a reject.
 */
function timeField(o: JsonObject, key: string, out: DecodeResult): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return 0;
  let ms: number;
  if (typeof v === 'string') ms = parsePmacctTime(v);
  else if (typeof v === 'number')
    ms = parsePmacctTime(String(v)); // decimal text, exact
  else {
    reject(out, 'wrong_type', `${key}: expected string, got ${typeof v}`);
    return undefined;
  }
  if (Number.isNaN(ms)) reject(out, 'bad_timestamp', `${key}: not a pmacct timestamp: ${quote(v)}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `ip_proto`: pmacct always writes a string, a name ("tcp") or digits ("47"). */
function protoField(o: JsonObject, out: DecodeResult): number | undefined {
  const v = o['ip_proto'];
  if (v === undefined || v === null) return PROTO_UNKNOWN; // proto not in the aggregation
  if (typeof v === 'string') {
    const proto = protoFromName(v);
    if (proto === undefined) reject(out, 'wrong_type', `ip_proto: unknown protocol ${quote(v)}`);
    return proto;
  }
  return optionalUint(o, 'ip_proto', 255, 0, out);
}

/**
 * Decodes one pmacct (nfacctd/sfacctd Kafka plugin, JSON output) record. Timestamps are
 * strings of seconds (µs precision) or dates, out as ms epoch; flow end is `timestamp_end`,
 * else `timestamp_start`, else `timestamp_arrival`. Counters are bytes/packets, scaled by
 * `sampling_rate` when present (0 = unknown → `ctx.defaultSampling`; absent = 1: pmacct
 * either saw unsampled traffic or already renormalised). `event_type` must be `purge`.
 * Appends a flow or one reject to `out`.
 */
export function decodePmacctRecord(
  o: JsonObject,
  _line: string,
  ctx: DecodeContext,
  out: DecodeResult,
): void {
  const eventType = o['event_type'];
  if (eventType !== 'purge') {
    if (eventType === undefined || eventType === null) {
      return reject(out, 'missing_field', 'event_type missing');
    }
    return reject(out, 'bad_event_type', `event_type ${quote(eventType)}, expected "purge"`);
  }
  const src = requiredAddress(o, 'ip_src', out);
  if (src === undefined) return;
  const dst = requiredAddress(o, 'ip_dst', out);
  if (dst === undefined) return;
  const sport = optionalUint(o, 'port_src', 65535, 0, out);
  if (sport === undefined) return;
  const dport = optionalUint(o, 'port_dst', 65535, 0, out);
  if (dport === undefined) return;
  const proto = protoField(o, out);
  if (proto === undefined) return;
  const tcpFlags = optionalUintOrDigits(o, 'tcp_flags', 0xffff, 0, out);
  if (tcpFlags === undefined) return;
  const bytes = requiredNumber(o, 'bytes', out);
  if (bytes === undefined) return;
  const packets = requiredNumber(o, 'packets', out);
  if (packets === undefined) return;
  const sampling = optionalNumber(o, 'sampling_rate', 1, out);
  if (sampling === undefined) return;
  const srcAs = optionalUint(o, 'as_src', 0xffffffff, 0, out);
  if (srcAs === undefined) return;
  const dstAs = optionalUint(o, 'as_dst', 0xffffffff, 0, out);
  if (dstAs === undefined) return;
  const exporter = optionalAddress(o, 'peer_ip_src', out);
  if (exporter === undefined) return;

  const start = timeField(o, 'timestamp_start', out);
  if (start === undefined) return;
  let end = timeField(o, 'timestamp_end', out);
  if (end === undefined) return;
  if (end === 0) end = start;
  if (end === 0) {
    end = timeField(o, 'timestamp_arrival', out);
    if (end === undefined) return;
    if (end === 0) return reject(out, 'missing_field', 'timestamp_end missing');
  }

  finishFlow(
    {
      end,
      start,
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
