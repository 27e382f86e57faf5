import { firstNonBlankByte, JSON_OBJECT_START } from './detect.js';
import { reject } from './finishFlow.js';
import { decodeGoflow2Pb } from './goflow2Pb.js';
import { decodeJsonText } from './jsonMessage.js';
import type { DecodeContext, DecodeResult, InputFormat } from './types.js';

export type { DecodeContext, DecodeResult, InputFormat, Reject, RejectReason } from './types.js';
export { INPUT_FORMATS, REJECT_REASONS } from './types.js';
export {
  encodeGoflow2Json,
  encodeGoflow2Pb,
  encodePmacctJson,
  encodeSurgewatch,
} from './encode.js';
export { PROTO_UNKNOWN } from './protocols.js';

const utf8 = new TextDecoder('utf-8');

function emptyResult(): DecodeResult {
  return { flows: [], rejects: [], unknownSampling: 0 };
}

/** Nothing decoded, and the first line (the one holding the `{`) was not JSON. */
function firstLineInvalid(result: DecodeResult): boolean {
  return result.flows.length === 0 && result.rejects[0]?.reason === 'invalid_json';
}

/**
 * `auto`: a message whose first non-blank byte is `{` is JSON (each record's format told by
 * its keys); anything else must be goflow2 protobuf frames, or it is `binary_garbage`.
 * A goflow2 frame of 123 bytes also starts with `{` (its length prefix): when such a message
 * decodes to nothing, its first line is not JSON, and it frames cleanly, the frames win.
 */
function decodeAuto(value: Uint8Array, ctx: DecodeContext, out: DecodeResult): void {
  const first = firstNonBlankByte(value);
  if (first < 0) return reject(out, 'binary_garbage', 'empty message');
  if (value[first] !== JSON_OBJECT_START) {
    const frames = emptyResult();
    decodeGoflow2Pb(value, ctx, frames);
    if (frames.flows.length === 0 && frames.rejects.every((r) => r.reason === 'binary_garbage')) {
      return reject(out, 'binary_garbage', 'neither a JSON object nor goflow2 protobuf frames');
    }
    return merge(frames, out);
  }
  const json = emptyResult();
  decodeJsonText(utf8.decode(value), 'auto', ctx, json);
  if (first === 0 && firstLineInvalid(json)) {
    const frames = emptyResult();
    decodeGoflow2Pb(value, ctx, frames);
    if (!frames.rejects.some((r) => r.reason === 'binary_garbage')) return merge(frames, out);
  }
  merge(json, out);
}

function merge(from: DecodeResult, into: DecodeResult): void {
  for (const f of from.flows) into.flows.push(f);
  for (const r of from.rejects) into.rejects.push(r);
  into.unknownSampling += from.unknownSampling;
}

/**
 * Decodes one Kafka message value in the given input format into flows (ms epoch times,
 * counters in bytes/packets scaled by the sampling rate) and one reject per bad record.
 * Pure: time comes from `ctx.now`. Never throws: an unexpected exception becomes an
 * `internal_error` reject, keeping the flows decoded before it.
 */
export function decodeMessage(
  value: Uint8Array,
  format: InputFormat,
  ctx: DecodeContext,
): DecodeResult {
  const out = emptyResult();
  try {
    if (value.length > ctx.maxMessageBytes) {
      reject(out, 'oversized', `${value.length} bytes > ${ctx.maxMessageBytes}`);
    } else if (format === 'auto') {
      decodeAuto(value, ctx, out);
    } else if (format === 'goflow2-pb') {
      decodeGoflow2Pb(value, ctx, out);
    } else {
      decodeJsonText(utf8.decode(value), format, ctx, out);
    }
  } catch (err) {
    reject(out, 'internal_error', err instanceof Error ? err.message.slice(0, 120) : 'throw');
  }
  return out;
}
