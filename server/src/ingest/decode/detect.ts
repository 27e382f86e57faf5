import type { JsonObject } from './jsonFields.js';
import type { InputFormat } from './types.js';

/** The formats whose records are JSON objects. */
export type JsonFormat = Exclude<InputFormat, 'auto' | 'goflow2-pb'>;

/**
 * Which JSON format a record is, from the keys only each collector writes; `undefined` when
 * none. pmacct: `event_type`/`ip_src`; goflow2: `time_flow_end_ns`/`src_addr`/
 * `sampler_address`; surgewatch: `ts` and `src`.
 */
export function detectJsonRecord(o: JsonObject): JsonFormat | undefined {
  if (o['event_type'] !== undefined || o['ip_src'] !== undefined) return 'pmacct-json';
  if (
    o['time_flow_end_ns'] !== undefined ||
    o['src_addr'] !== undefined ||
    o['sampler_address'] !== undefined
  ) {
    return 'goflow2-json';
  }
  if (o['ts'] !== undefined && o['src'] !== undefined) return 'surgewatch';
  return undefined;
}

/** Index of the first byte that is not JSON whitespace, or -1 when there is none. */
export function firstNonBlankByte(value: Uint8Array): number {
  const n = value.length;
  for (let i = 0; i < n; i++) {
    const b = value[i];
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return i;
  }
  return -1;
}

/** `{`: a message whose first non-blank byte is this is decoded as JSON first. */
export const JSON_OBJECT_START = 0x7b;
