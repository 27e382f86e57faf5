import { finishFlow, reject } from './finishFlow.js';
import {
  optionalAddress,
  optionalNumber,
  optionalUint,
  quote,
  requiredAddress,
  requiredNumber,
  type JsonObject,
} from './jsonFields.js';
import { nsDigitsToMs, nsDoubleToMs, rawDigitsAfterKey } from './nanoTime.js';
import { protoFromName } from './protocols.js';
import type { DecodeContext, DecodeResult } from './types.js';

/**
 * Reads a goflow2 `time_*_ns` field as exact ms epoch: beyond 2^53 the ms come from the
 * number's digits in the raw text (see rawDigitsAfterKey), not from the rounded double.
 * Returns 0 when absent or 0, `undefined` after pushing a reject.
 */
function nsFieldToMs(
  o: JsonObject,
  line: string,
  key: string,
  out: DecodeResult,
): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number') {
    reject(out, 'wrong_type', `${key}: expected number, got ${typeof v}`);
    return undefined;
  }
  if (!(v >= 0) || v === Infinity) {
    reject(out, 'bad_timestamp', `${key}: not a non-negative ns epoch`);
    return undefined;
  }
  if (v > Number.MAX_SAFE_INTEGER) {
    // nearly always exact from the double; near a ms boundary, from the digits
    const ms = nsDoubleToMs(v);
    if (ms !== undefined) return ms;
    const digits = rawDigitsAfterKey(line, `"${key}"`, v);
    if (digits !== undefined) return nsDigitsToMs(digits);
    // Otherwise written as 1.7e18 or the like: as exact as the sender made it.
  }
  return (v - (v % 1e6)) / 1e6;
}

/** The protocol: goflow2 writes a name ("TCP"); a number is accepted for custom mappings. */
function protoField(o: JsonObject, out: DecodeResult): number | undefined {
  const v = o['proto'];
  if (typeof v === 'string') {
    const proto = protoFromName(v);
    if (proto === undefined) reject(out, 'wrong_type', `proto: unknown protocol name ${quote(v)}`);
    return proto;
  }
  if (v === undefined || v === null) {
    reject(out, 'missing_field', 'proto missing');
    return undefined;
  }
  return optionalUint(o, 'proto', 255, 0, out);
}

/**
 * Decodes one goflow2 v2 `-format=json` record. Times are ns in the input, ms out (exact;
 * flow end falls back to `time_received_ns` when the exporter sent none). `bytes`/`packets`
 * are sampled counts, scaled here by `sampling_rate` (0 or absent = unknown →
 * `ctx.defaultSampling`, counted in `out.unknownSampling`). Appends a flow or one reject.
 */
export function decodeGoflow2JsonRecord(
  o: JsonObject,
  line: string,
  ctx: DecodeContext,
  out: DecodeResult,
): void {
  const srcRaw = o['src_addr'];
  if (srcRaw === '' && o['dst_addr'] === '') {
    // goflow2 renders non-IP samples (ARP, …) with empty addresses.
    const etype = typeof o['etype'] === 'string' ? ` (etype ${quote(o['etype'])})` : '';
    return reject(out, 'bad_address', `no IP addresses${etype}`);
  }
  const src = requiredAddress(o, 'src_addr', out);
  if (src === undefined) return;
  const dst = requiredAddress(o, 'dst_addr', out);
  if (dst === undefined) return;
  const proto = protoField(o, out);
  if (proto === undefined) return;
  const sport = optionalUint(o, 'src_port', 65535, 0, out);
  if (sport === undefined) return;
  const dport = optionalUint(o, 'dst_port', 65535, 0, out);
  if (dport === undefined) return;
  const bytes = requiredNumber(o, 'bytes', out);
  if (bytes === undefined) return;
  const packets = requiredNumber(o, 'packets', out);
  if (packets === undefined) return;
  const sampling = optionalNumber(o, 'sampling_rate', 0, out);
  if (sampling === undefined) return;
  const tcpFlags = optionalUint(o, 'tcp_flags', 0xffff, 0, out);
  if (tcpFlags === undefined) return;
  const srcAs = optionalUint(o, 'src_as', 0xffffffff, 0, out);
  if (srcAs === undefined) return;
  const dstAs = optionalUint(o, 'dst_as', 0xffffffff, 0, out);
  if (dstAs === undefined) return;
  const exporter = optionalAddress(o, 'sampler_address', out);
  if (exporter === undefined) return;

  let end = nsFieldToMs(o, line, 'time_flow_end_ns', out);
  if (end === undefined) return;
  if (end === 0) {
    end = nsFieldToMs(o, line, 'time_received_ns', out);
    if (end === undefined) return;
    if (end === 0 && o['time_flow_end_ns'] === undefined && o['time_received_ns'] === undefined) {
      return reject(out, 'missing_field', 'time_flow_end_ns missing');
    }
  }
  const start = nsFieldToMs(o, line, 'time_flow_start_ns', out);
  if (start === undefined) return;

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
