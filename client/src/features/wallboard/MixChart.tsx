import { useMemo } from 'react';
import { Bar, BarChart, LabelList, XAxis, YAxis } from 'recharts';
import { formatShare } from '../../format/format.js';
import type { MixPart } from './mixModel.js';
import { mixRow } from './mixModel.js';
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
 */
export function MixChart({ protocols, vectors, colours }: MixChartProps) {
  const rows = useMemo(
    () => [mixRow('Protocol', protocols), mixRow('Vector', vectors)],
    [protocols, vectors],
  );
  const parts = useMemo(() => {
    const seen = new Map<string, MixPart>();
    for (const p of [...protocols, ...vectors]) if (!seen.has(p.key)) seen.set(p.key, p);
    return [...seen.values()];
  }, [protocols, vectors]);

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
        <BarChart
          responsive
          style={{ width: '100%', height: '100%' }}
          data={rows}
          layout="vertical"
          barCategoryGap="22%"
          margin={{ top: 0, right: 8, bottom: 0, left: 0 }}
        >
          <XAxis type="number" domain={[0, 1]} hide />
          <YAxis
            type="category"
            dataKey="label"
            width={110}
            tickLine={false}
            axisLine={false}
            tick={{ fill: '#a9b6c3', fontSize: '1.05rem', fontWeight: 600 }}
          />
          {parts.map((p) => (
            <Bar
              key={p.key}
              dataKey={p.key}
              stackId="mix"
              fill={colours[p.key]}
              stroke="#111821"
              strokeWidth={2}
              isAnimationActive={false}
            >
              <LabelList
                dataKey={p.key}
                position="center"
                fill="#0a0e14"
                fontSize="1rem"
                fontWeight={700}
                formatter={(v: unknown) =>
                  typeof v === 'number' && v >= LABEL_MIN_SHARE
                    ? `${shortName(p.name)} ${formatShare(v)}`
                    : ''
                }
              />
            </Bar>
          ))}
        </BarChart>
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

/** "UDP amplification: DNS" → "DNS amp.", "TCP (established)" → "TCP est.": fits in its bar. */
function shortName(name: string): string {
  const amp = /^UDP amplification: (.+)$/.exec(name);
  if (amp) return `${amp[1]} amp.`;
  return name.replace(/ \(established\)$/, ' est.');
}
