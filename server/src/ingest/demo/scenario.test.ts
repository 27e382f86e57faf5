import { describe, expect, it } from 'vitest';
import { createScenario, DEMO_SAMPLING } from './scenario.js';

const LOOP = 360_000;
const T0 = 1_800_000_000_000 - (1_800_000_000_000 % LOOP); // loop start

const sc = createScenario({ seed: 42, loopMs: LOOP, baselineFps: 200 });

describe('demo scenario', () => {
  it('is deterministic for a seed, and differs between seeds', () => {
    const again = createScenario({ seed: 42, loopMs: LOOP, baselineFps: 200 });
    expect(again.flowsForSecond(T0 + 5000)).toEqual(sc.flowsForSecond(T0 + 5000));
    const other = createScenario({ seed: 43, loopMs: LOOP, baselineFps: 200 });
    expect(other.flowsForSecond(T0 + 5000)).not.toEqual(sc.flowsForSecond(T0 + 5000));
  });

  it('tells the story: calm, a low-level wave, calm, a large multi-vector wave, calm', () => {
    const at = (s: number) => sc.phaseAt(T0 + s * 1000);
    expect([at(30), at(120), at(180), at(250), at(340)]).toEqual([
      'calm',
      'wave1',
      'calm',
      'wave2',
      'calm',
    ]);
    const bytes = (s: number) =>
      sc.flowsForSecond(T0 + s * 1000).reduce((sum, f) => sum + f.bytes, 0);
    const calm = bytes(30);
    expect(bytes(120)).toBeGreaterThan(calm * 1.5);
    expect(bytes(250)).toBeGreaterThan(bytes(120) * 5);
  });

  it('sends wave-2 amplification from reflector ports and SYNs from spoofed sources', () => {
    const flows = sc.flowsForSecond(T0 + 250_000);
    const udpPorts = new Set(flows.filter((f) => f.proto === 17).map((f) => f.sport));
    for (const p of [53, 123, 11211, 1900]) expect(udpPorts).toContain(p);
    const syn = flows.filter((f) => f.proto === 6 && f.tcpFlags === 0x02);
    expect(new Set(syn.map((f) => f.src)).size).toBeGreaterThan(syn.length * 0.95);
  });

  it('keeps every flow in the second asked for, scaled by the sampling rate', () => {
    for (const f of sc.flowsForSecond(T0 + 250_000)) {
      expect(Math.floor(f.end / 1000) * 1000).toBe(T0 + 250_000);
      expect(f.start).toBeLessThanOrEqual(f.end);
      expect(f.sampling).toBe(DEMO_SAMPLING);
      expect(f.packets % DEMO_SAMPLING).toBe(0);
      expect(f.bytes % DEMO_SAMPLING).toBe(0);
    }
  });
});
