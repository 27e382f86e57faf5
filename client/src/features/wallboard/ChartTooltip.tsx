import { countryCode, countryName } from '../../format/countryLabel.js';
import { formatAxisTime, formatBitRate, formatShare } from '../../format/format.js';
import type { SeriesRow } from './toSeries.js';

export interface ChartTooltipProps {
  keys: readonly string[];
  colours: Readonly<Record<string, string>>;
  names: Readonly<Record<string, string>>;
  /** The row under the pointer. */
  row: SeriesRow;
}

/** Hover details for one row: every band with its name, code, rate and share, top band first. */
export function ChartTooltip({ keys, colours, names, row }: ChartTooltipProps) {
  const total = keys.reduce((sum, k) => sum + (row[k] ?? 0), 0);
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip__head">
        <span>{formatAxisTime(row.t, 'UTC', true)} UTC</span>
        <strong>{formatBitRate(total)}</strong>
      </div>
      <table>
        <tbody>
          {[...keys].reverse().map((k) => (
            <tr key={k}>
              <td>
                <span className="swatch" style={{ background: colours[k] }} />
              </td>
              <td className="chart-tooltip__code">{countryCode(k)}</td>
              <td>{countryName(k, names)}</td>
              <td className="num">{formatBitRate(row[k] ?? 0)}</td>
              <td className="num muted">{formatShare(total > 0 ? (row[k] ?? 0) / total : 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
