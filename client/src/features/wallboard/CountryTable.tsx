import { OTHER_KEY } from '@surgewatch/shared';
import { TrendLabel } from '../../components/TrendLabel.js';
import { countryCode, countryName } from '../../format/countryLabel.js';
import { formatBitRate, formatShare } from '../../format/format.js';
import { useLive } from '../../store/useLive.js';
import { useCountryTable } from './useWallboardData.js';
import './countryTable.css';

const ROWS = 8;

/** The busiest source countries now (last 5 s), with share and change; swatches match the chart. */
export function CountryTable({
  colours,
  onDrill,
}: {
  colours: Readonly<Record<string, string>>;
  /** Opens a country's drill-down (absent in kiosk mode). */
  onDrill?: ((country: string) => void) | undefined;
}) {
  const { rows } = useCountryTable(ROWS);
  const names = useLive((s) => s.names);
  return (
    <section className="panel table-panel" aria-label="Top source countries">
      <div className="panel__head">
        <div>
          <h2 className="panel__title">Top source countries</h2>
          <p className="panel__sub">now (5 s average) · change vs previous minute</p>
        </div>
      </div>
      <table className="country-table" data-testid="country-table">
        <thead>
          <tr>
            <th scope="col">Country</th>
            <th scope="col" className="num">
              Rate
            </th>
            <th scope="col" className="num">
              Share
            </th>
            <th scope="col" className="num">
              Δ 1 min
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const drill = onDrill && r.key !== OTHER_KEY ? () => onDrill(r.key) : undefined;
            return (
              <tr
                key={r.key}
                className={r.key === OTHER_KEY ? 'is-other' : undefined}
                data-country={r.key}
                data-drill={drill ? 'true' : undefined}
                tabIndex={drill ? 0 : undefined}
                title={drill ? 'Open the drill-down' : undefined}
                onClick={drill}
                onKeyDown={drill && ((e) => (e.key === 'Enter' || e.key === ' ') && drill())}
              >
                <td>
                  <div className="country-cell">
                    <span
                      className={`swatch${colours[r.key] ? '' : ' swatch--none'}`}
                      style={colours[r.key] ? { background: colours[r.key] } : undefined}
                    />
                    <span className="country-cell__code">{countryCode(r.key)}</span>
                    <span className="country-cell__name">{countryName(r.key, names)}</span>
                  </div>
                  <div className="share-bar" aria-hidden="true">
                    <span
                      style={{
                        width: `${Math.round(r.share * 1000) / 10}%`,
                        background: colours[r.key] ?? '#6B7785',
                      }}
                    />
                  </div>
                </td>
                <td className="num strong">{formatBitRate(r.bps)}</td>
                <td className="num">{formatShare(r.share)}</td>
                <td className="num">
                  {r.key === OTHER_KEY ? '' : <TrendLabel change={r.change} />}
                </td>
              </tr>
            );
          })}
          {rows.length === 0 && (
            <tr>
              <td colSpan={4} className="muted empty">
                No traffic yet
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
