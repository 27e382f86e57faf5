import type { Flow } from '@surgewatch/shared';
import { describe, expect, it } from 'vitest';
import { encodeSurgewatch } from '../ingest/decode/encode.js';
import { baselineGenerator, demoGenerator } from './generators.js';
import { runFlowgen } from './run.js';

/** A fake clock that sleeping advances. */
function clock(start: number) {
  let t = start;
  return {
    now: () => t,
    sleep: async (ms: number) => void (t += ms),
    advance: (ms: number) => void (t += ms),
  };
}

describe('runFlowgen', () => {
  it('sends exactly --count records, --batch per message', async () => {
    const c = clock(1_000_000);
    const sent: Buffer[] = [];
    const stats = await runFlowgen(
      baselineGenerator(1, 0, c.now()),
      { durationMs: null, count: 12_345, batch: 10 },
      {
        send: async (values) => void sent.push(...values),
        encode: encodeSurgewatch,
        now: c.now,
        sleep: c.sleep,
      },
    );
    const lines = sent.flatMap((v) => v.toString().split('\n'));
    expect(stats.records).toBe(12_345);
    expect(lines).toHaveLength(12_345);
    expect(stats.messages).toBe(sent.length);
    expect(sent.length).toBe(1235);
    expect(stats.bytes).toBe(sent.reduce((s, v) => s + v.length, 0));
  });

  it('paces to the rate over the duration', async () => {
    const c = clock(5_000_000);
    const stats = await runFlowgen(
      baselineGenerator(1, 2_000, c.now()),
      { durationMs: 3_000, count: null, batch: 1 },
      {
        send: async () => undefined,
        encode: (flows: readonly Flow[]) => Buffer.from(String(flows.length)),
        now: c.now,
        sleep: c.sleep,
      },
    );
    expect(stats.records).toBeGreaterThanOrEqual(5_980);
    expect(stats.records).toBeLessThanOrEqual(6_000);
  });

  it('fails with the first send error', async () => {
    const c = clock(0);
    const run = runFlowgen(
      baselineGenerator(1, 0, 0),
      { durationMs: null, count: 100_000, batch: 1 },
      {
        send: async () => {
          throw new Error('broker gone');
        },
        encode: encodeSurgewatch,
        now: c.now,
        sleep: c.sleep,
      },
    );
    await expect(run).rejects.toThrow('broker gone');
  });
});

describe('generators', () => {
  it('baseline flows end within the second before now, with exact unsampled counters', () => {
    const now = 1_700_000_000_000;
    const flows = baselineGenerator(3, 0, now).due(now);
    expect(flows.length).toBeGreaterThan(0);
    for (const f of flows) {
      expect(f.end).toBeLessThanOrEqual(now);
      expect(f.end).toBeGreaterThan(now - 1000);
      expect(f.start).toBeLessThanOrEqual(f.end);
      expect(f.sampling).toBe(1);
      expect(f.bytes).toBeGreaterThanOrEqual(f.packets);
    }
  });

  it('demo sends each closed second once, following the clock', () => {
    const start = 1_700_000_000_500;
    const gen = demoGenerator(1, 100, start);
    const first = gen.due(start);
    expect(first.length).toBeGreaterThan(50);
    for (const f of first) expect(Math.floor(f.end / 1000) * 1000).toBe(1_699_999_999_000);
    expect(gen.due(start + 100)).toEqual([]);
    const second = gen.due(start + 600);
    for (const f of second) expect(Math.floor(f.end / 1000) * 1000).toBe(1_700_000_000_000);
  });
});
