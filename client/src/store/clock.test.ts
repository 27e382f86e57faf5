import { describe, expect, it } from 'vitest';
import { createTicker } from './clock.js';

function fakeTimers() {
  let clock = 10_250;
  const pending = new Map<number, { at: number; f: () => void }>();
  let id = 0;
  return {
    clock: () => clock,
    timers: {
      set: (f: () => void, ms: number) => {
        pending.set(++id, { at: clock + ms, f });
        return id as unknown as ReturnType<typeof setTimeout>;
      },
      clear: (h: ReturnType<typeof setTimeout>) => void pending.delete(h as unknown as number),
    },
    advance(ms: number) {
      const end = clock + ms;
      for (;;) {
        const next = [...pending.entries()].sort((a, b) => a[1].at - b[1].at)[0];
        if (!next || next[1].at > end) break;
        pending.delete(next[0]);
        clock = next[1].at;
        next[1].f();
      }
      clock = end;
    },
    pending: () => pending.size,
  };
}

describe('createTicker', () => {
  it('ticks on the second while subscribed and stops after the last listener leaves', () => {
    const f = fakeTimers();
    const ticker = createTicker(1000, f.clock, f.timers);
    const seen: number[] = [];
    const off = ticker.subscribe(() => seen.push(ticker.now()));
    expect(f.pending()).toBe(1);
    f.advance(2000);
    expect(seen).toEqual([11_005, 12_005]);
    off();
    expect(f.pending()).toBe(0);
    f.advance(5000);
    expect(seen.length).toBe(2);
  });

  it('shares one timer between listeners', () => {
    const f = fakeTimers();
    const ticker = createTicker(1000, f.clock, f.timers);
    const a = ticker.subscribe(() => {});
    ticker.subscribe(() => {});
    expect(f.pending()).toBe(1);
    a();
    expect(f.pending()).toBe(1);
  });
});
