import type { AlertPort } from '@surgewatch/shared';
import { formatBitRate, formatShare } from '../../format/format.js';
import { portRows } from './portRows.js';

/**
 * The subject's traffic by port, styled like the other contributor lists: an amplification
 * shows as its source port ("UDP 53 → *"), a targeted service as its destination port.
 */
export function PortList({ ports }: { ports: readonly AlertPort[] | undefined }) {
  const rows = portRows(ports, 3);
  if (rows.length === 0) return null;
  return (
    <div className="oc-contrib" data-testid="alert-ports">
      <h4>Ports</h4>
      <ol>
        {rows.map((r) => (
          <li key={r.key} title={r.title}>
            <span className="oc-contrib__name">
              {r.label}
              {r.service && <span className="oc-dim"> {r.service}</span>}
            </span>
            <span className="oc-contrib__value">
              {formatBitRate(r.bps)} <span className="oc-dim">{formatShare(r.share)}</span>
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}
