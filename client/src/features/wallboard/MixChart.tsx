import { formatShare } from '../../format/format.js';
import { type MixPart, shortName } from './mixModel.js';
import './mixChart.css';

export interface MixChartProps {
  protocols: readonly MixPart[];
  vectors: readonly MixPart[];
  colours: Readonly<Record<string, string>>;
}

/** Parts smaller than this get no label inside the bar (the legend still names them). */
const LABEL_MIN_SHARE = 0.15;

/**
 * What the traffic is made of right now: one 100 % bar for IP protocols and one for attack
 * vectors, labelled in the bar and in the legend with name and share (never colour alone).
 * Plain boxes, largest part first and "Other" last in each bar: a tick changes their widths
 * and labels, nothing to measure or lay out in script.
 */
export function MixChart({ protocols, vectors, colours }: MixChartProps) {
  return (
    <section
      className="panel mix-panel"
      aria-label="Protocol and vector mix"
      data-testid="mix-chart"
    >
      <div className="panel__head">
        <div>
          <h2 className="panel__title">Traffic mix</h2>
          <p className="panel__sub">share of bits/s now, by IP protocol and attack vector</p>
        </div>
      </div>
      <div className="mix-panel__plot">
        <MixBar label="Protocol" parts={protocols} colours={colours} />
        <MixBar label="Vector" parts={vectors} colours={colours} />
      </div>
      <ul className="legend mix-legend" aria-label="Mix legend">
        {/* Protocols are named inside their bar; the legend names the vectors. */}
        {vectors.map((p) => (
          <li key={p.key} className="legend__item">
            <span className="swatch" style={{ background: colours[p.key] }} />
            <span className="legend__name">{p.name}</span>
            <span className="legend__code">{formatShare(p.share)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function MixBar({
  label,
  parts,
  colours,
}: {
  label: string;
  parts: readonly MixPart[];
  colours: Readonly<Record<string, string>>;
}) {
  return (
    <div className="mix-bar">
      <span className="mix-bar__label">{label}</span>
      <div
        className="mix-bar__track"
        role="img"
        aria-label={`${label}: ${parts.map((p) => `${p.name} ${formatShare(p.share)}`).join(', ')}`}
      >
        {parts.map((p) => (
          // recharts' class name too: the end-to-end suite finds the bar's parts by it
          <span
            key={p.key}
            className="mix-bar__part recharts-bar-rectangle"
            style={{ width: `${p.share * 100}%`, background: colours[p.key] }}
          >
            {p.share >= LABEL_MIN_SHARE ? `${shortName(p.name)} ${formatShare(p.share)}` : ''}
          </span>
        ))}
      </div>
    </div>
  );
}
