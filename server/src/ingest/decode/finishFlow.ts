import type { Flow } from '@surgewatch/shared';
import type { DecodeContext, DecodeResult, RejectReason } from './types.js';

/** A flow under construction: decoders fill it in, `finishFlow` checks, scales and emits it. */
export type FlowDraft = { -readonly [K in keyof Flow]: Flow[K] };

/** Largest accepted byte count of one record after sampling scale-up: 2^48 bytes (≈ 281 TB). */
export const MAX_SCALED_BYTES = 2 ** 48;

/**
 * Largest average bytes per packet: the largest IP packet (65535) plus generous room for
 * link-layer headers (Ethernet, VLAN tags, FCS) and an IPv6 header outside its payload
 * length. More than that is a corrupt counter, not traffic.
 */
export const MAX_BYTES_PER_PACKET = 65535 + 128;

/**
 * The fastest one record may claim, after sampling scale-up, over its duration (at least a
 * second): 1 Tb/s and 2 Gpps, past any single link's line rate (a 1 Tb/s link carries at most
 * ~1.5 Gpps of minimum-size packets). Faster is a corrupt or forged counter, and one such
 * record would fire every rule on its target: it is rejected, so it neither fires nor resolves
 * an alert.
 */
export const MAX_RECORD_BPS = 1e12;
export const MAX_RECORD_PPS = 2e9;

/** Appends a reject to `out`. */
export function reject(out: DecodeResult, reason: RejectReason, detail: string): void {
  out.rejects.push({ reason, detail });
}

/**
 * Checks a draft whose `bytes`/`packets` are still the collector's raw (sampled) counters
 * and whose `sampling` is the collector's rate (0 = unknown), then scales the counters in
 * place and appends the flow to `out.flows` — or appends one reject and drops it.
 * Units: `end`/`start` ms epoch (`start` 0 = unknown → `end`), counters in bytes/packets;
 * `tcpFlags` may be up to 16 bits wide and is cut to its low byte.
 */
export function finishFlow(f: FlowDraft, ctx: DecodeContext, out: DecodeResult): void {
  let sampling = f.sampling;
  if (!Number.isSafeInteger(sampling) || sampling < 0) {
    return reject(out, 'bad_counter', 'sampling rate is not a non-negative integer');
  }
  const unknownSampling = sampling === 0;
  if (unknownSampling) sampling = ctx.defaultSampling;

  const { bytes, packets } = f;
  if (!Number.isSafeInteger(bytes) || bytes < 0) {
    return reject(out, 'bad_counter', 'bytes is not a non-negative integer');
  }
  if (!Number.isSafeInteger(packets) || packets < 0) {
    return reject(out, 'bad_counter', 'packets is not a non-negative integer');
  }
  if (packets > bytes) return reject(out, 'bad_counter', `packets (${packets}) > bytes (${bytes})`);
  if (bytes > packets * MAX_BYTES_PER_PACKET) {
    return reject(out, 'bad_counter', `more than ${MAX_BYTES_PER_PACKET} bytes per packet`);
  }
  const scaledBytes = bytes * sampling;
  if (scaledBytes > MAX_SCALED_BYTES) {
    return reject(out, 'bad_counter', `bytes × sampling exceeds 2^48`);
  }

  const end = f.end;
  if (!Number.isSafeInteger(end) || end <= 0) {
    return reject(out, 'bad_timestamp', 'flow end is not a positive ms epoch');
  }
  const start = f.start === 0 ? end : f.start;
  if (!Number.isSafeInteger(start) || start < 0) {
    return reject(out, 'bad_timestamp', 'flow start is not a ms epoch');
  }
  if (end < start) return reject(out, 'bad_timestamp', `end before start by ${start - end} ms`);
  if (end - ctx.now > ctx.maxFutureMs) {
    return reject(out, 'future_timestamp', `flow end ${end - ctx.now} ms ahead of now`);
  }
  if (ctx.now - end > ctx.maxPastMs) {
    return reject(out, 'past_timestamp', `flow end ${ctx.now - end} ms behind now`);
  }

  const seconds = Math.max(1, (end - start) / 1000);
  if (
    (scaledBytes * 8) / seconds > MAX_RECORD_BPS ||
    (packets * sampling) / seconds > MAX_RECORD_PPS
  ) {
    return reject(
      out,
      'bad_counter',
      `implausible rate: ${Math.round((scaledBytes * 8) / seconds)} b/s, ${Math.round((packets * sampling) / seconds)} packets/s over ${seconds} s`,
    );
  }

  f.start = start;
  // IPFIX tcpControlBits is 16 bits wide and some exporters fill the upper byte (NS bit,
  // header length); the classic eight flags are what attack vectors are told apart by.
  f.tcpFlags &= 0xff;
  f.bytes = scaledBytes;
  f.packets = packets * sampling;
  f.sampling = sampling;
  if (unknownSampling) out.unknownSampling++;
  out.flows.push(f);
}
