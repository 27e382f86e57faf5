import type { Surge } from './topRows.js';
import { formatRatio } from './topRows.js';

const ICON: Record<Surge, string> = { new: '✚', surge: '▲', up: '▲', steady: '▬', down: '▼' };

/** Change against the key's own baseline: icon shape + text ("×3.2", "new"), colour only adds. */
export function RatioLabel({ ratio, surge }: { ratio: number | null; surge: Surge }) {
  return (
    <span className={`ratio ratio--${surge}`} title="now ÷ median of the previous minutes">
      <span aria-hidden="true" className="ratio__icon">
        {ICON[surge]}
      </span>
      {formatRatio(ratio)}
    </span>
  );
}
