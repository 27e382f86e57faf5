import { detectJsonRecord, type JsonFormat } from './detect.js';
import { reject } from './finishFlow.js';
import { decodeGoflow2JsonRecord } from './goflow2Json.js';
import type { JsonObject } from './jsonFields.js';
import { decodePmacctRecord } from './pmacctJson.js';
import { decodeSurgewatchRecord } from './surgewatch.js';
import type { DecodeContext, DecodeResult } from './types.js';

/** Decodes one parsed record; `line` is its raw text (goflow2 reads exact ns digits from it). */
type RecordDecoder = (o: JsonObject, line: string, ctx: DecodeContext, out: DecodeResult) => void;

const DECODERS: Readonly<Record<JsonFormat, RecordDecoder>> = {
  surgewatch: decodeSurgewatchRecord,
  'goflow2-json': decodeGoflow2JsonRecord,
  'pmacct-json': decodePmacctRecord,
};

// Keys that must never reach an object. JSON.parse itself defines them as own properties
// (no pollution), but any later spread or merge would not be so careful, so such a record
// is rejected. Flow records are flat: three own-property lookups settle the top level
// (escapes like "\u005f_proto__" are decoded by then), and only a line with a second `{`
// (a nested object, or a brace inside a string) pays for a full walk with a reviver.
const DANGEROUS_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
let sawDangerousKey = false;
function flagDangerousKeys(key: string, value: unknown): unknown {
  if (DANGEROUS_KEYS.has(key)) sawDangerousKey = true;
  return value;
}

const INVALID = Symbol('invalid JSON');
const DANGEROUS = Symbol('prototype key');

function parseLine(line: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return INVALID;
  }
  if (typeof value !== 'object' || value === null) return value;
  if (
    Object.hasOwn(value, '__proto__') ||
    Object.hasOwn(value, 'constructor') ||
    Object.hasOwn(value, 'prototype')
  ) {
    return DANGEROUS;
  }
  if (line.indexOf('{', line.indexOf('{') + 1) >= 0) {
    sawDangerousKey = false;
    JSON.parse(line, flagDangerousKeys);
    if (sawDangerousKey) return DANGEROUS;
  }
  return value;
}

function decodeLine(
  line: string,
  format: JsonFormat | 'auto',
  ctx: DecodeContext,
  out: DecodeResult,
): void {
  const parsed = parseLine(line);
  if (parsed === INVALID) return reject(out, 'invalid_json', 'not valid JSON');
  if (parsed === DANGEROUS) {
    return reject(out, 'prototype_key', '__proto__, constructor or prototype key');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const kind = parsed === null ? 'null' : Array.isArray(parsed) ? 'array' : typeof parsed;
    return reject(out, 'not_an_object', `JSON ${kind}, expected an object`);
  }
  const o = parsed as JsonObject;
  const recordFormat = format === 'auto' ? detectJsonRecord(o) : format;
  if (recordFormat === undefined) {
    return reject(out, 'unknown_format', 'object matches no known flow format');
  }
  DECODERS[recordFormat](o, line, ctx, out);
}

function isBlankBetween(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 13 && c !== 9) return false;
  }
  return true;
}

/**
 * Decodes a JSON message: one object or newline-delimited objects (blank lines skipped).
 * Each line becomes one flow or one reject (detail prefixed with its line number), so a bad
 * line never costs its neighbours. With `auto`, each record's format is told by its keys.
 */
export function decodeJsonText(
  text: string,
  format: JsonFormat | 'auto',
  ctx: DecodeContext,
  out: DecodeResult,
): void {
  const n = text.length;
  let lineNo = 0;
  let records = 0;
  for (let from = 0; from <= n;) {
    let to = text.indexOf('\n', from);
    if (to < 0) to = n;
    lineNo++;
    if (!isBlankBetween(text, from, to)) {
      records++;
      const rejectsBefore = out.rejects.length;
      const line = from === 0 && to === n ? text : text.slice(from, to);
      try {
        decodeLine(line, format, ctx, out);
      } catch (err) {
        reject(out, 'internal_error', err instanceof Error ? err.message.slice(0, 120) : 'throw');
      }
      for (let i = rejectsBefore; i < out.rejects.length; i++) {
        const r = out.rejects[i];
        if (r !== undefined) r.detail = `line ${lineNo}: ${r.detail}`;
      }
    }
    from = to + 1;
  }
  if (records === 0) reject(out, 'invalid_json', 'empty message');
}
