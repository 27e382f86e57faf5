import { canonicalIpText } from './address.js';
import { reject } from './finishFlow.js';
import type { DecodeResult } from './types.js';

// Typed field readers for parsed JSON records. Each returns the value, or pushes exactly one
// reject to `out` and returns `undefined`; callers stop at the first `undefined`. `null`
// counts as absent, as collectors write it for "no value".

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/** A value for a reject detail: short, quoted, control characters escaped. */
export function quote(v: unknown): string {
  const s = typeof v === 'string' ? v : String(v);
  return JSON.stringify(s.length > 48 ? `${s.slice(0, 48)}…` : s);
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  return Array.isArray(v) ? 'array' : typeof v;
}

function wrongType(out: DecodeResult, key: string, expected: string, v: unknown): undefined {
  reject(out, 'wrong_type', `${key}: expected ${expected}, got ${typeName(v)}`);
  return undefined;
}

function missing(out: DecodeResult, key: string): undefined {
  reject(out, 'missing_field', `${key} missing`);
  return undefined;
}

/** A required JSON number (any finite or non-finite value; range checks come later). */
export function requiredNumber(o: JsonObject, key: string, out: DecodeResult): number | undefined {
  const v = o[key];
  if (typeof v === 'number') return v;
  return v === undefined || v === null ? missing(out, key) : wrongType(out, key, 'number', v);
}

/** An optional JSON number; `fallback` when absent. */
export function optionalNumber(
  o: JsonObject,
  key: string,
  fallback: number,
  out: DecodeResult,
): number | undefined {
  const v = o[key];
  if (typeof v === 'number') return v;
  return v === undefined || v === null ? fallback : wrongType(out, key, 'number', v);
}

/** An optional integer in [0, max] (ports, AS numbers, flags); `fallback` when absent. */
export function optionalUint(
  o: JsonObject,
  key: string,
  max: number,
  fallback: number,
  out: DecodeResult,
): number | undefined {
  const v = o[key];
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max) return v;
  return v === undefined || v === null ? fallback : wrongType(out, key, `integer 0..${max}`, v);
}

/** A required integer in [0, max] (the protocol number). */
export function requiredUint(
  o: JsonObject,
  key: string,
  max: number,
  out: DecodeResult,
): number | undefined {
  const v = o[key];
  return v === undefined || v === null ? missing(out, key) : optionalUint(o, key, max, 0, out);
}

/**
 * An optional integer in [0, max] written as a JSON number or as a decimal string (pmacct
 * writes `tcp_flags` as "2"); `fallback` when absent.
 */
export function optionalUintOrDigits(
  o: JsonObject,
  key: string,
  max: number,
  fallback: number,
  out: DecodeResult,
): number | undefined {
  const v = o[key];
  if (typeof v === 'string') {
    const n = v.length;
    let value = 0;
    for (let i = 0; i < n; i++) {
      const d = v.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return wrongType(out, key, `decimal 0..${max}`, v);
      value = value * 10 + d;
    }
    if (n === 0 || n > 10 || value > max) return wrongType(out, key, `decimal 0..${max}`, v);
    return value;
  }
  return optionalUint(o, key, max, fallback, out);
}

/** A required address string, returned in canonical form (see address.ts). */
export function requiredAddress(o: JsonObject, key: string, out: DecodeResult): string | undefined {
  const v = o[key];
  if (typeof v !== 'string') {
    return v === undefined || v === null ? missing(out, key) : wrongType(out, key, 'string', v);
  }
  const ip = canonicalIpText(v);
  if (ip === undefined) reject(out, 'bad_address', `${key}: not an IP address: ${quote(v)}`);
  return ip;
}

/** An optional address string in canonical form; '' when absent or empty. */
export function optionalAddress(o: JsonObject, key: string, out: DecodeResult): string | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === '') return '';
  if (typeof v !== 'string') return wrongType(out, key, 'string', v);
  const ip = canonicalIpText(v);
  if (ip === undefined) reject(out, 'bad_address', `${key}: not an IP address: ${quote(v)}`);
  return ip;
}
