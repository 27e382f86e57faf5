import { useLive } from '../../store/useLive.js';
import { useNow } from '../../store/useNow.js';
import { lastUpdateItem, sourceHealthItems } from './sourceHealth.js';

const MARK = { ok: '●', warn: '▲', bad: '✕', neutral: '' } as const;

/** Flow source health along the bottom: kind, connection, records/s, errors, lag, ages. */
export function SourceHealthStrip() {
  const source = useLive((s) => s.source);
  const lastTickAt = useLive((s) => s.lastTickAt);
  const offset = useLive((s) => s.clockOffsetMs);
  const now = useNow();
  const items = [...sourceHealthItems(source, now + offset), lastUpdateItem(lastTickAt, now)];
  return (
    <footer className="health" aria-label="Flow source health" data-testid="source-health">
      {items.map((item) => (
        <div
          key={item.id}
          className={`health__item health__item--${item.level}`}
          data-item={item.id}
          title={item.detail}
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
