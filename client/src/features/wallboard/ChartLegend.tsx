import { countryCode, countryName } from '../../format/countryLabel.js';

/** The bands of the chart in stacking order (largest first), with code and name. */
export function ChartLegend({
  keys,
  colours,
  names,
  band = false,
}: {
  keys: readonly string[];
  colours: Readonly<Record<string, string>>;
  names: Readonly<Record<string, string>>;
  /** Whether the chart draws the total's normal band. */
  band?: boolean;
}) {
  return (
    <ul className="legend" aria-label="Chart legend">
      {keys.map((k) => (
        <li key={k} className="legend__item">
          <span className="swatch" style={{ background: colours[k] }} />
          <span className="legend__code">{countryCode(k)}</span>
          <span className="legend__name">{countryName(k, names)}</span>
        </li>
      ))}
      {band && (
        <li className="legend__item legend__item--band" data-testid="legend-band">
          <span className="swatch swatch--band" />
          <span className="legend__name">normal → alert threshold (total)</span>
        </li>
      )}
    </ul>
  );
}
