import { describe, expect, it } from 'vitest';
import {
  bitRateParts,
  formatAxisTime,
  formatBitRate,
  formatBitRateTick,
  formatChange,
  formatClock,
  formatCount,
  formatDate,
  formatDuration,
  formatFlowRate,
  formatInteger,
  formatPacketRate,
  formatShare,
  siParts,
} from './format.js';

describe('siParts', () => {
  it.each([
    [0, '0', ''],
    [1, '1.00', ''],
    [999, '999', ''],
    [1000, '1.00', 'k'],
    [4_210_000_000, '4.21', 'G'],
    [42_149_000_000, '42.1', 'G'],
    [421_000_000_000, '421', 'G'],
    [999_600, '1.00', 'M'],
    [9.996, '10.0', ''],
    [99.96, '100', ''],
    [2.5e18, '2.50', 'E'],
  ])('%d → %s %s', (n, value, prefix) => {
    expect(siParts(n)).toEqual({ value, prefix });
  });

  it('shows nonsense as zero', () => {
    expect(siParts(-5).value).toBe('0');
    expect(siParts(Number.NaN).value).toBe('0');
    expect(siParts(Number.POSITIVE_INFINITY).value).toBe('0');
  });
});

describe('rates', () => {
  it('formats bits per second with SI prefixes', () => {
    expect(formatBitRate(4_210_000_000)).toBe('4.21 Gb/s');
    expect(formatBitRate(812_000)).toBe('812 kb/s');
    expect(formatBitRate(0)).toBe('0 b/s');
    expect(bitRateParts(1.5e12)).toEqual({ value: '1.50', unit: 'Tb/s' });
  });

  it('drops trailing zeros on axis labels only', () => {
    expect(formatBitRateTick(80e9)).toBe('80 Gb/s');
    expect(formatBitRateTick(2.5e9)).toBe('2.5 Gb/s');
    expect(formatBitRateTick(1.25e6)).toBe('1.25 Mb/s');
    expect(formatBitRateTick(100e3)).toBe('100 kb/s');
    expect(formatBitRateTick(0)).toBe('0 b/s');
  });

  it('formats packets and flows per second', () => {
    expect(formatPacketRate(1_200_000)).toBe('1.20 Mpps');
    expect(formatPacketRate(640)).toBe('640 pps');
    expect(formatFlowRate(12_345)).toBe('12.3k flows/s');
    expect(formatFlowRate(12)).toBe('12 flows/s');
  });
});

describe('counts', () => {
  it('keeps small counts whole and abbreviates large ones', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999.4)).toBe('999');
    expect(formatCount(999.6)).toBe('1.00k');
    expect(formatCount(48_200)).toBe('48.2k');
    expect(formatCount(3_100_000)).toBe('3.10M');
  });

  it('groups thousands', () => {
    expect(formatInteger(1_234_567)).toBe('1,234,567');
    expect(formatInteger(Number.NaN)).toBe('0');
  });
});

describe('formatDuration', () => {
  it.each([
    [-300, '0.0 s'],
    [0, '0.0 s'],
    [400, '0.4 s'],
    [9_940, '9.9 s'],
    [12_000, '12 s'],
    [245_000, '4 min 05 s'],
    [7_380_000, '2 h 03 min'],
    [273_600_000, '3 d 04 h'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('shares and changes', () => {
  it('formats shares with one decimal, clamped to [0, 1]', () => {
    expect(formatShare(0.4213)).toBe('42.1%');
    expect(formatShare(1.2)).toBe('100.0%');
    expect(formatShare(Number.NaN)).toBe('0.0%');
  });

  it('formats signed changes with a real minus sign', () => {
    expect(formatChange(0.124)).toBe('+12%');
    expect(formatChange(-0.08)).toBe('\u22128%');
    expect(formatChange(0.001)).toBe('±0%');
    expect(formatChange(null)).toBe('–');
    expect(formatChange(25)).toBe('>+999%');
  });
});

describe('clock and dates', () => {
  const t = Date.UTC(2026, 10, 29, 14, 3, 27, 900);

  it('formats the time of day in a given zone, 24-hour', () => {
    expect(formatClock(t, 'UTC')).toBe('14:03:27');
    expect(formatClock(t, 'Asia/Tokyo')).toBe('23:03:27');
    expect(formatClock(Date.UTC(2026, 0, 1, 0, 0, 5), 'UTC')).toBe('00:00:05');
  });

  it('formats dates and axis labels', () => {
    expect(formatDate(t, 'UTC')).toBe('Sun 29 Nov 2026');
    expect(formatAxisTime(t, 'UTC')).toBe('14:03');
    expect(formatAxisTime(t, 'UTC', true)).toBe('14:03:27');
  });
});
