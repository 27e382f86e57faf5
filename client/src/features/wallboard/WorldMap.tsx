import { memo, useMemo } from 'react';
import { countryCode } from '../../format/countryLabel.js';
import { formatBitRate } from '../../format/format.js';
import { useLive } from '../../store/useLive.js';
import {
  alertingCountries,
  countryClasses,
  labelledCountries,
  placeLabels,
  NO_TRAFFIC_COLOUR,
  TRAFFIC_CLASSES,
} from './mapModel.js';
import type { CountryShape } from './worldGeometry.js';
import { countryShapes, MAP_HEIGHT, MAP_WIDTH } from './worldGeometry.js';
import './worldMap.css';

const LABELS = 8;

/**
 * Source countries on a world map, shaded by their share of current traffic (named classes
 * in the legend), the largest labelled with code and rate, alerting ones outlined and
 * marked with ⚠ and their severity in words.
 */
export function WorldMap({ onDrill }: { onDrill?: ((country: string) => void) | undefined } = {}) {
  const top = useLive((s) => s.top);
  const points = useLive((s) => s.points);
  const alerts = useLive((s) => s.alerts);
  const totalBps = points[points.length - 1]?.total.bps ?? 0;
  const shapes = useMemo(() => countryShapes(), []);
  const anchors = useMemo(() => new Map(shapes.map((s) => [s.key, s.anchor])), [shapes]);
  const classes = useMemo(() => countryClasses(top?.country, totalBps), [top, totalBps]);
  const alerting = useMemo(() => alertingCountries(alerts.values()), [alerts]);
  const labels = useMemo(() => {
    const wanted = labelledCountries(top?.country, alerting, LABELS);
    // Alerting countries claim their place first, then the largest senders.
    const ordered = [
      ...wanted.filter((l) => alerting.has(l.key)),
      ...wanted.filter((l) => !alerting.has(l.key)),
    ].flatMap((l) => {
      const at = anchors.get(l.key);
      return at ? [{ ...l, at }] : [];
    });
    const kept = placeLabels(ordered);
    return ordered.filter((l) => kept.has(l.key));
  }, [top, alerting, anchors]);

  return (
    <section
      className="panel map-panel"
      aria-label="Traffic by source country, map"
      data-testid="world-map"
    >
      <div className="panel__head">
        <div>
          <h2 className="panel__title">Source countries now</h2>
          <p className="panel__sub">
            share of current bits/s · largest labelled · ⚠ outlined: alert firing
          </p>
        </div>
        <ul className="map-legend" aria-label="Map legend">
          {TRAFFIC_CLASSES.map((c) => (
            <li key={c.label}>
              <span className="swatch" style={{ background: c.colour }} />
              {c.label}
            </li>
          ))}
          <li>
            <span className="swatch map-legend__alert" />⚠ alert
          </li>
        </ul>
      </div>
      <svg
        className="map"
        viewBox={`0 0 ${MAP_WIDTH} ${MAP_HEIGHT}`}
        preserveAspectRatio="xMidYMid meet"
        role="img"
        aria-label="World map of source countries"
        onClick={
          onDrill &&
          ((e) => {
            // one listener for every country: the shape, its alert outline or its label
            const key = (e.target as Element)
              .closest('[data-country]')
              ?.getAttribute('data-country');
            if (key && classes.has(key)) onDrill(key);
          })
        }
        data-drillable={onDrill ? 'true' : undefined}
      >
        <CountryShapes shapes={shapes} classes={classes} />
        <g className="map__alerting">
          {shapes
            .filter((s) => alerting.has(s.key))
            .map((s) => (
              <path key={s.key} d={s.d} data-country={s.key} data-alerting={alerting.get(s.key)} />
            ))}
        </g>
        <g className="map__labels">
          {labels.map(({ key, bps, at }) => {
            const severity = alerting.get(key);
            return (
              <g
                key={key}
                data-country={key}
                transform={`translate(${at[0].toFixed(1)} ${at[1].toFixed(1)})`}
                className={severity ? `map-label map-label--${severity}` : 'map-label'}
              >
                <circle r="3.5" />
                <text x="8" y="-5" className="map-label__code">
                  {severity ? `⚠ ${countryCode(key)}` : countryCode(key)}
                </text>
                <text x="8" y="15" className="map-label__rate">
                  {severity ? `${severity} · ${formatBitRate(bps)}` : formatBitRate(bps)}
                </text>
              </g>
            );
          })}
        </g>
      </svg>
    </section>
  );
}

/**
 * The land, one path per country, filled by traffic class. The outlines never change and a
 * country changes class rarely: a tick that moves no country to another class redraws none.
 */
const CountryShapes = memo(
  function CountryShapes({
    shapes,
    classes,
  }: {
    shapes: readonly CountryShape[];
    classes: ReadonlyMap<string, number>;
  }) {
    return (
      <g>
        {shapes.map((s, i) => {
          const cls = classes.get(s.key);
          return (
            <path
              key={s.key || i}
              d={s.d}
              data-country={s.key || undefined}
              data-class={cls}
              fill={cls === undefined ? NO_TRAFFIC_COLOUR : TRAFFIC_CLASSES[cls]!.colour}
            />
          );
        })}
      </g>
    );
  },
  (a, b) => a.shapes === b.shapes && sameEntries(a.classes, b.classes),
);

function sameEntries(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}
