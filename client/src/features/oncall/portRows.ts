import type { AlertPort } from '@surgewatch/shared';

/** One port as the on-call card lists it. */
export interface PortRow {
  key: string;
  /** "UDP 53 → *": the port on its side of the flow, the other side any. */
  label: string;
  /** "DNS", or "" for a port without a well-known service. */
  service: string;
  /** "reflected from source port 53" / "to destination port 443", for a tooltip. */
  title: string;
  bps: number;
  /** Part of the subject's traffic (0–1), as the server estimated it. */
  share: number;
}

/**
 * The heaviest `n` ports of an explanation (absent on alerts recorded before ports were
 * explained: none). Shares are the server's, of the whole subject, not of the listed ports.
 */
export function portRows(ports: readonly AlertPort[] | undefined, n: number): PortRow[] {
  return [...(ports ?? [])]
    .sort((a, b) => b.bps - a.bps)
    .slice(0, n)
    .map((p) => ({
      key: p.key,
      label: p.key,
      service: p.name,
      title:
        p.side === 'source'
          ? `${p.protocol} from source port ${p.port}${p.name ? ` (${p.name})` : ''}, to any port`
          : `${p.protocol} to destination port ${p.port}${p.name ? ` (${p.name})` : ''}, from any port`,
      bps: p.bps,
      share: p.share,
    }));
}
