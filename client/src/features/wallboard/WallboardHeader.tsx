import { ConnectionBadge } from '../../components/ConnectionBadge.js';
import { SegmentedControl } from '../../components/SegmentedControl.js';
import { useLive } from '../../store/useLive.js';
import type { View } from './viewSetting.js';
import { VIEW_LABELS, VIEW_TITLES, VIEWS } from './viewSetting.js';
import { WallClocks } from './WallClocks.js';

export interface WallboardHeaderProps {
  view: View;
  /** Absent in kiosk mode: no controls on the wall. */
  onViewChange?: ((view: View) => void) | undefined;
  /** Kiosk rotation: shown as the list of views, the current one marked. */
  rotation?: 'on' | 'paused' | 'off';
}

export function WallboardHeader({ view, onViewChange, rotation = 'off' }: WallboardHeaderProps) {
  const connection = useLive((s) => s.connection);
  return (
    <header className="wb-header">
      <div className="brand">
        <svg className="brand__mark" viewBox="0 0 32 32" aria-hidden="true">
          <path
            d="M2 24 9 14l6 6 7-14 8 18"
            fill="none"
            stroke="currentColor"
            strokeWidth="3"
            strokeLinejoin="round"
            strokeLinecap="round"
          />
        </svg>
        <div>
          <h1 className="brand__name">surgewatch</h1>
          <p className="brand__view" data-testid="view-title">
            {VIEW_TITLES[view]}
          </p>
        </div>
      </div>
      {onViewChange ? (
        <div className="wb-controls" data-testid="view-controls">
          <SegmentedControl
            label="View"
            options={VIEWS}
            value={view}
            format={(v) => VIEW_LABELS[v]}
            onChange={onViewChange}
          />
          <a className="wb-oncall-link" href="/oncall" data-testid="oncall-link">
            On-call <span aria-hidden="true">→</span>
          </a>
        </div>
      ) : rotation !== 'off' ? (
        <div className="view-steps" data-testid="view-steps">
          <ol aria-label="Views in rotation">
            {VIEWS.map((v) => (
              <li key={v} aria-current={v === view ? 'step' : undefined}>
                {VIEW_LABELS[v]}
              </li>
            ))}
          </ol>
          {rotation === 'paused' && (
            <span className="view-steps__paused">❚❚ held: critical alert</span>
          )}
        </div>
      ) : (
        <span />
      )}
      <WallClocks />
      <ConnectionBadge connection={connection} />
    </header>
  );
}
