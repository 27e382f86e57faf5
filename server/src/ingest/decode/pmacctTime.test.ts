import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPmacctEpoch, parsePmacctTime } from './pmacctTime.js';

describe('parsePmacctTime', () => {
  it('reads epoch seconds with microseconds exactly, flooring to ms', () => {
    expect(parsePmacctTime('1795699480.000000')).toBe(1795699480000);
    expect(parsePmacctTime('1795938918.680836')).toBe(1795938918680);
    expect(parsePmacctTime('1795699480.999999')).toBe(1795699480999);
    expect(parsePmacctTime('1795699481.000000')).toBe(1795699481000);
    expect(parsePmacctTime('1795699480.100000')).toBe(1795699480100); // 0.1 s: no float drift
    expect(parsePmacctTime('1795699480')).toBe(1795699480000); // timestamps_secs
    expect(parsePmacctTime('1795699480.5')).toBe(1795699480500);
  });

  it('reads dates as UTC, with optional µs and RFC 3339 zone', () => {
    expect(parsePmacctTime('2026-11-27 10:04:40.000000')).toBe(Date.UTC(2026, 10, 27, 10, 4, 40));
    expect(parsePmacctTime('2026-11-27 10:04:40.123456')).toBe(
      Date.UTC(2026, 10, 27, 10, 4, 40, 123),
    );
    expect(parsePmacctTime('2026-11-27 10:04:40')).toBe(Date.UTC(2026, 10, 27, 10, 4, 40));
    expect(parsePmacctTime('2026-11-27T10:04:40.000000Z')).toBe(Date.UTC(2026, 10, 27, 10, 4, 40));
    expect(parsePmacctTime('2026-11-27T11:04:40.000000+01:00')).toBe(
      Date.UTC(2026, 10, 27, 10, 4, 40),
    );
    expect(parsePmacctTime('2024-02-29 00:00:00')).toBe(Date.UTC(2024, 1, 29));
  });

  it('returns 0 for pmacct time zero', () => {
    expect(parsePmacctTime('0000-00-00 00:00:00')).toBe(0);
    expect(parsePmacctTime('0.000000')).toBe(0);
  });

  it.each([
    '',
    'abc',
    '1795699480.',
    '1795699480.00000x',
    '-1795699480.000000',
    '1795699480.000000 ',
    '2026-13-01 00:00:00',
    '2026-02-29 00:00:00',
    '2026-11-27 24:00:00',
    '2026-11-27 10:04:40.123456+0100',
    '2026/11/27 10:04:40',
    '1e9',
  ])('refuses %j', (text) => {
    expect(parsePmacctTime(text)).toBeNaN();
  });

  it('round-trips formatPmacctEpoch for any ms epoch', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (ms) => {
        expect(parsePmacctTime(formatPmacctEpoch(ms))).toBe(ms);
      }),
    );
    expect(formatPmacctEpoch(1795699480007)).toBe('1795699480.007000');
  });
});
