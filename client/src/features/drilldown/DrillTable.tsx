import { OTHER_KEY } from '@surgewatch/shared';
import { Sparkline } from '../../components/Sparkline.js';
import { formatBitRate, formatShare } from '../../format/format.js';
import { OTHER_COLOUR } from '../wallboard/palette.js';
import type { DrillRow } from './drillModel.js';

export interface DrillTableProps {
  title: string;
  sub: string;
  keyLabel: string;
  rows: readonly DrillRow[];
  testId: string;
  /** Swatch colours of the keys the chart stacks (the chart's grouping only). */
  colours?: Readonly<Record<string, string>> | undefined;
}

/** One breakdown of the drilled country over the window: average, share and trend (peak on hover). */
export function DrillTable({ title, sub, keyLabel, rows, testId, colours }: DrillTableProps) {
  return (
    <section className="panel drill-table-panel" aria-label={title}>
      <div className="panel__head">
        <div>
          <h2 className="panel__title">{title}</h2>
          <p className="panel__sub">{sub}</p>
        </div>
      </div>
      <table className="drill-table" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">{keyLabel}</th>
            <th scope="col" className="num">
              Average
            </th>
            <th scope="col" className="num">
              Share
            </th>
            <th scope="col">
              <span className="visually-hidden">Trend</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr
              key={r.key}
              data-key={r.key}
              className={r.key === OTHER_KEY ? 'is-other' : undefined}
            >
              <td>
                <div className="drill-cell">
                  {colours?.[r.key] && (
                    <span className="swatch" style={{ background: colours[r.key] }} />
                  )}
                  <span className="drill-cell__name" title={r.name}>
                    {r.name}
                  </span>
                </div>
              </td>
              <td className="num strong">{formatBitRate(r.avgBps)}</td>
              <td className="num">{formatShare(r.share)}</td>
              <td className="drill-spark">
                <Sparkline
                  values={r.series}
                  colour={colours?.[r.key] ?? (r.key === OTHER_KEY ? OTHER_COLOUR : '#9fb3c8')}
                />
              </td>
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={4} className="muted empty">
                Nothing in this window
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
