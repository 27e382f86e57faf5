import { describe, expect, it } from 'vitest';
import { trafficCsv } from './csv.js';

describe('trafficCsv', () => {
  it('writes one row per step and group, quoting names that need it', () => {
    const csv = trafficCsv({
      metric: 'bps',
      times: [Date.UTC(2026, 10, 29, 8, 0, 0), Date.UTC(2026, 10, 29, 8, 1, 0)],
      groups: [
        { key: 'AS13335', name: 'AS13335 Cloudflare, Inc.', series: [800, 1600] },
        { key: 'RU', name: 'Russia', series: [8, 0] },
      ],
    });
    expect(csv).toBe(
      'time,key,name,bps\r\n' +
        '2026-11-29T08:00:00.000Z,AS13335,"AS13335 Cloudflare, Inc.",800\r\n' +
        '2026-11-29T08:00:00.000Z,RU,Russia,8\r\n' +
        '2026-11-29T08:01:00.000Z,AS13335,"AS13335 Cloudflare, Inc.",1600\r\n' +
        '2026-11-29T08:01:00.000Z,RU,Russia,0\r\n',
    );
  });
});
