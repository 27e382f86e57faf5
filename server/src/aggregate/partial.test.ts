import { DIMENSIONS } from '@surgewatch/shared';
import { describe, expect, it } from 'vitest';
import { encodePartials, mergePartial, PartialError } from './partial.js';
import { T0, testAggregator, testFlow, testKeys } from './testing.js';

describe('partials', () => {
  it('round-trip a delta exactly: counters, distinct and top sources, every dimension', () => {
    const live = testAggregator();
    const delta = live.createDelta();
    for (let i = 0; i < 200; i++) {
      delta.add(
        testFlow(
          T0 + (i % 3) * 1000 + 10,
          `198.51.100.${i % 70}`,
          100 + i,
          1 + (i % 4),
          T0 + (i % 3) * 1000,
        ),
        testKeys(i % 2 ? 'RU' : 'BR', { vector: i % 5 ? 'tcp-syn' : 'udp-amp-dns' }),
      );
    }
    const parts = encodePartials(delta, 'instance-a');
    expect(parts.map((p) => p.t)).toEqual([T0, T0 + 1000, T0 + 2000]);

    const restored = testAggregator();
    let flows = 0;
    for (const p of parts) {
      const h = mergePartial(p.value, restored);
      expect(h.instance).toBe('instance-a');
      flows += h.flows;
    }
    expect(flows).toBe(200);
    const direct = testAggregator();
    direct.merge(delta);
    for (const by of DIMENSIONS) {
      expect(restored.range(T0, T0 + 3000, 1000, by, 'bps', 100)).toEqual(
        direct.range(T0, T0 + 3000, 1000, by, 'bps', 100),
      );
    }
    for (const t of [T0, T0 + 1000, T0 + 2000]) {
      expect(restored.point(t, 5)).toEqual(direct.point(t, 5));
      expect(restored.top(t, 'country', 2)).toEqual(direct.top(t, 'country', 2));
      expect(restored.topSources(t, 'vector', 'tcp-syn')).toEqual(
        direct.topSources(t, 'vector', 'tcp-syn'),
      );
    }
    expect(restored.getStats().flows).toBe(200);
  });

  it('merging two instances’ partials adds their counters', () => {
    const live = testAggregator();
    const a = live.createDelta();
    const b = live.createDelta();
    a.add(testFlow(T0, '1.1.1.1', 100, 1), testKeys('AU'));
    b.add(testFlow(T0, '1.1.1.1', 50, 2), testKeys('AU'));
    const into = testAggregator();
    for (const p of [...encodePartials(a, 'a'), ...encodePartials(b, 'b')])
      mergePartial(p.value, into);
    expect(into.range(T0, T0 + 1000, 1000, 'country', 'bps', 5).groups[0]).toMatchObject({
      key: 'AU',
      bytes: 150,
      packets: 3,
      flows: 2,
    });
    expect(into.point(T0, 5).sources).toBe(1);
  });

  it('rejects what is not a partial, clearly', () => {
    const into = testAggregator();
    expect(() => mergePartial('not json', into)).toThrow(PartialError);
    expect(() => mergePartial('{"v":99}', into)).toThrow(/version-1 partial/);
  });
});
