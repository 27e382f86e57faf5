import { formatChange } from '../format/format.js';

/** Relative change with an arrow shape (▲ ▼ ▬) so direction reads without colour. */
export function TrendLabel({ change, suffix }: { change: number | null; suffix?: string }) {
  const pct = change === null ? null : Math.round(change * 100);
  const dir = pct === null ? 'none' : pct > 0 ? 'up' : pct < 0 ? 'down' : 'flat';
  const arrow = dir === 'up' ? '▲' : dir === 'down' ? '▼' : dir === 'flat' ? '▬' : '';
  // Only a large surge is highlighted: on this screen more traffic is the thing to notice.
  const surge = change !== null && change >= 0.5;
  return (
    <span className={`trend trend--${dir}${surge ? ' trend--surge' : ''}`}>
      {arrow && <span aria-hidden="true">{arrow} </span>}
      {formatChange(change)}
      {suffix && <span className="trend__suffix"> {suffix}</span>}
    </span>
  );
}
