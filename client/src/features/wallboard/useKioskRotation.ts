import { useEffect } from 'react';
import type { View } from './viewSetting.js';
import { nextView } from './viewSetting.js';

/**
 * Kiosk mode: shows the next view every `rotateSec` seconds, never while `paused` (a critical
 * alert fires). The timer restarts on every view change, so each view gets its full time.
 */
export function useKioskRotation(
  enabled: boolean,
  rotateSec: number,
  paused: boolean,
  view: View,
  setView: (view: View) => void,
): void {
  useEffect(() => {
    if (!enabled || paused || rotateSec <= 0) return;
    const timer = setTimeout(() => setView(nextView(view)), rotateSec * 1000);
    return () => clearTimeout(timer);
  }, [enabled, paused, rotateSec, view, setView]);
}
