import { Clock } from '../../components/Clock.js';
import { formatClock, formatDate } from '../../format/format.js';
import { useNow } from '../../store/useNow.js';

const localZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** UTC and local clocks; the only part of the header that re-renders every second. */
export function WallClocks() {
  const now = useNow();
  return (
    <div className="clocks">
      <Clock zone="UTC" time={formatClock(now, 'UTC')} date={formatDate(now, 'UTC')} />
      <Clock zone={`Local · ${localZone}`} time={formatClock(now)} date={formatDate(now)} />
    </div>
  );
}
