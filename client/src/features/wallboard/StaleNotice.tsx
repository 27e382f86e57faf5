import { StaleBanner } from '../../components/StaleBanner.js';
import { useLive } from '../../store/useLive.js';
import { describeStaleness } from './staleness.js';
import { useStaleness } from './useWallboardData.js';

/** The DATA STALE banner, present only while the data cannot be trusted as current. */
export function StaleNotice() {
  const staleness = useStaleness();
  const connection = useLive((s) => s.connection);
  const source = useLive((s) => s.source);
  if (!staleness.stale) return null;
  return (
    <StaleBanner title="DATA STALE" detail={describeStaleness(staleness, connection, source)} />
  );
}
