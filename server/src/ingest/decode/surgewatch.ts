import { finishFlow } from './finishFlow.js';
import {
  optionalAddress,
  optionalNumber,
  optionalUint,
  requiredAddress,
  requiredNumber,
  requiredUint,
  type JsonObject,
} from './jsonFields.js';
import type { DecodeContext, DecodeResult } from './types.js';

/**
 * Decodes one `surgewatch` record (DESIGN.md "Input formats"): `ts`/`start` ms epoch
 * (fractions floored), counters in bytes/packets as observed, scaled here by `sampling`
 * (default 1; 0 = unknown → `ctx.defaultSampling`). Appends a flow or one reject to `out`.
 */
export function decodeSurgewatchRecord(
  o: JsonObject,
  _line: string,
  ctx: DecodeContext,
  out: DecodeResult,
): void {
  const ts = requiredNumber(o, 'ts', out);
  if (ts === undefined) return;
  const start = optionalNumber(o, 'start', 0, out);
  if (start === undefined) return;
  const src = requiredAddress(o, 'src', out);
  if (src === undefined) return;
  const dst = requiredAddress(o, 'dst', out);
  if (dst === undefined) return;
  const sport = optionalUint(o, 'sport', 65535, 0, out);
  if (sport === undefined) return;
  const dport = optionalUint(o, 'dport', 65535, 0, out);
  if (dport === undefined) return;
  const proto = requiredUint(o, 'proto', 255, out);
  if (proto === undefined) return;
  const bytes = requiredNumber(o, 'bytes', out);
  if (bytes === undefined) return;
  const packets = requiredNumber(o, 'packets', out);
  if (packets === undefined) return;
  const sampling = optionalNumber(o, 'sampling', 1, out);
  if (sampling === undefined) return;
  const tcpFlags = optionalUint(o, 'tcpFlags', 0xffff, 0, out);
  if (tcpFlags === undefined) return;
  const srcAs = optionalUint(o, 'srcAs', 0xffffffff, 0, out);
  if (srcAs === undefined) return;
  const dstAs = optionalUint(o, 'dstAs', 0xffffffff, 0, out);
  if (dstAs === undefined) return;
  const exporter = optionalAddress(o, 'exporter', out);
  if (exporter === undefined) return;

  finishFlow(
    {
      end: Math.floor(ts),
      start: Math.floor(start),
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
