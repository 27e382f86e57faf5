import { useMemo, useRef } from 'react';
import { assignColours, colourOf } from './palette.js';

/** Palette colours for `keys` that stick to a key while it stays on screen. */
export function useStableColours(keys: readonly string[]): Record<string, string> {
  const slots = useRef(new Map<string, number>());
  const joined = keys.join('\u0000');
  return useMemo(() => {
    const list = joined === '' ? [] : joined.split('\u0000');
    const next = assignColours(list, slots.current);
    slots.current = next;
    const out: Record<string, string> = {};
    for (const k of list) out[k] = colourOf(k, next);
    return out;
  }, [joined]);
}
