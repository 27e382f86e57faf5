import { useLive } from '../../store/useLive.js';
import { sourceHealthItems } from './sourceHealth.js';
import { useServerNow } from './useWallboardData.js';

const MARK = { ok: '●', warn: '▲', bad: '✕', neutral: '' } as const;

/** Flow source health along the bottom: kind, connection, records/s, errors, lag, age. */
export function SourceHealthStrip() {
  const source = useLive((s) => s.source);
  const serverNow = useServerNow();
  const items = sourceHealthItems(source, serverNow);
  return (
    <footer className="health" aria-label="Flow source health" data-testid="source-health">
      {items.map((item) => (
        <div
          key={item.id}
          className={`health__item health__item--${item.level}`}
          data-item={item.id}
        >
          <span className="health__label">{item.label}</span>
          <span className="health__value">
            {MARK[item.level] && (
              <span className="health__mark" aria-hidden="true">
                {MARK[item.level]}{' '}
              </span>
            )}
            {item.value}
          </span>
        </div>
      ))}
    </footer>
  );
}
