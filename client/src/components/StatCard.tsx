import './components.css';
import type { Quantity } from '../format/format.js';
import { Sparkline } from './Sparkline.js';
import { TrendLabel } from './TrendLabel.js';

export interface StatCardProps {
  label: string;
  value: Quantity;
  change: number | null;
  spark: readonly number[];
  colour: string;
  testId: string;
}

/** One headline number: label, large value with its unit, trend and sparkline. */
export function StatCard({ label, value, change, spark, colour, testId }: StatCardProps) {
  return (
    <section className="stat panel" aria-label={label}>
      <h2 className="stat__label">{label}</h2>
      <div className="stat__value" data-testid={testId}>
        <span className="stat__number">{value.value}</span>
        <span className="stat__unit">{value.unit}</span>
      </div>
      <div className="stat__trend">
        <TrendLabel change={change} suffix="vs prev. min" />
        <Sparkline values={spark} colour={colour} />
      </div>
    </section>
  );
}
