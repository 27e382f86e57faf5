import type { Alert, GroupStat } from '@surgewatch/shared';
import { describe, expect, it } from 'vitest';
import {
  alertingCountries,
  countryClasses,
  labelledCountries,
  placeLabels,
  TRAFFIC_CLASSES,
  trafficClass,
} from './mapModel.js';

const g = (key: string, bps: number): GroupStat => ({
  key,
  name: key,
  bps,
  pps: 0,
  fps: 0,
  sources: 0,
  ratio: 1,
});

const alert = (over: Partial<Alert>): Alert => ({
  id: 'a',
  rule: 'r',
  severity: 'warning',
  state: 'firing',
  subject: {},
  description: '',
  metric: 'bps',
  threshold: 1,
  value: 2,
  peak: 2,
  startedAt: 0,
  updatedAt: 0,
  resolvedAt: null,
  ack: null,
  ...over,
});

describe('trafficClass', () => {
  it('bins a share of the total into the named classes', () => {
    expect(trafficClass(0.5)).toBe(0);
    expect(trafficClass(0.2)).toBe(0);
    expect(trafficClass(0.1)).toBe(1);
    expect(trafficClass(0.02)).toBe(2);
    expect(trafficClass(0.001)).toBe(3);
    expect(trafficClass(0)).toBe(-1);
    expect(trafficClass(Number.NaN)).toBe(-1);
    expect(TRAFFIC_CLASSES).toHaveLength(4);
  });
});

describe('countryClasses', () => {
  it('classes every sending country, not other or unknown', () => {
    const m = countryClasses([g('RU', 600), g('BR', 300), g('other', 90), g('DE', 10)], 1000);
    expect([...m]).toEqual([
      ['RU', 0],
      ['BR', 0],
      ['DE', 2],
    ]);
    expect(countryClasses([g('RU', 5)], 0).size).toBe(0);
  });
});

describe('alertingCountries', () => {
  it('marks the countries of firing alerts with their worst severity', () => {
    const m = alertingCountries([
      alert({ id: '1', subject: { country: 'RU' }, severity: 'warning' }),
      alert({ id: '2', subject: { country: 'RU', vector: 'udp-amp-dns' }, severity: 'critical' }),
      alert({ id: '3', subject: { country: 'BR' }, state: 'resolved' }),
      alert({ id: '4', subject: { destination: '203.0.113.10' } }),
    ]);
    expect([...m]).toEqual([['RU', 'critical']]);
  });
});

describe('labelledCountries', () => {
  it('labels the largest countries and every alerting one', () => {
    const labels = labelledCountries(
      [g('RU', 600), g('BR', 300), g('CN', 50)],
      new Map([['KP', 'warning' as const]]),
      2,
    );
    expect(labels).toEqual([
      { key: 'RU', bps: 600 },
      { key: 'BR', bps: 300 },
      { key: 'KP', bps: 0 },
    ]);
  });
});

describe('placeLabels', () => {
  it('keeps the first of overlapping labels and every label that has room', () => {
    const kept = placeLabels([
      { key: 'RU', at: [600, 100] },
      { key: 'DE', at: [480, 120] },
      { key: 'FR', at: [470, 140] },
      { key: 'BR', at: [320, 330] },
    ]);
    expect([...kept]).toEqual(['RU', 'DE', 'BR']);
  });
});
