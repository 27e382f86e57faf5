import { formatBitRate, formatCount, formatShare } from '../../format/format.js';
import { RatioLabel } from './RatioLabel.js';
import type { TopRow } from './topRows.js';
import './topTable.css';

export interface TopTableProps {
  title: string;
  sub: string;
  /** Header of the first column: "Network", "Target", … */
  keyLabel: string;
  rows: readonly TopRow[];
  testId: string;
  /** Optional swatch colour per key (to match a chart). */
  colours?: Readonly<Record<string, string>>;
  /** As tall as its rows rather than sharing the column. */
  short?: boolean;
}

/** One dimension's busiest keys now: rate, share, distinct sources and change against baseline. */
export function TopTable({ title, sub, keyLabel, rows, testId, colours, short }: TopTableProps) {
  return (
    <section
      className={`panel table-panel${short ? ' table-panel--short' : ''}`}
      aria-label={title}
    >
      <div className="panel__head">
        <div>
          <h2 className="panel__title">{title}</h2>
          <p className="panel__sub">{sub}</p>
        </div>
      </div>
      <table className="top-table" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">{keyLabel}</th>
            <th scope="col" className="num">
              Rate
            </th>
            <th scope="col" className="num">
              Share
            </th>
            <th scope="col" className="num">
              Sources
            </th>
            <th scope="col" className="num">
              vs normal
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-key={r.key} className={`is-${r.surge}`}>
              <td>
                <div className="top-cell">
                  {colours && (
                    <span className="swatch" style={{ background: colours[r.key] ?? '#6B7785' }} />
                  )}
                  {r.code && <span className="top-cell__code">{r.code}</span>}
                  {r.name && <span className="top-cell__name">{r.name}</span>}
                </div>
                <div className="top-share" aria-hidden="true">
                  <span style={{ width: `${Math.round(r.share * 1000) / 10}%` }} />
                </div>
              </td>
              <td className="num strong">{formatBitRate(r.bps)}</td>
              <td className="num">{formatShare(r.share)}</td>
              <td className="num">{formatCount(r.sources)}</td>
              <td className="num">
                <RatioLabel ratio={r.ratio} surge={r.surge} />
              </td>
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={5} className="muted empty">
                No traffic yet
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
