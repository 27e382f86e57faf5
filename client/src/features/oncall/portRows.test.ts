import type { AlertPort } from '@surgewatch/shared';
import { describe, expect, it } from 'vitest';
import { portRows } from './portRows.js';

const dns: AlertPort = {
  key: 'UDP 53 → *',
  name: 'DNS',
  bps: 8e9,
  protocol: 'UDP',
  port: 53,
  side: 'source',
  share: 0.6,
};
const https: AlertPort = {
  key: 'TCP * → 443',
  name: 'HTTPS',
  bps: 2e9,
  protocol: 'TCP',
  port: 443,
  side: 'destination',
  share: 0.15,
};

describe('portRows', () => {
  it('lists the heaviest ports with the server’s share of the subject', () => {
    const rows = portRows([https, dns], 3);
    expect(rows.map((r) => [r.label, r.service, r.bps, r.share])).toEqual([
      ['UDP 53 → *', 'DNS', 8e9, 0.6],
      ['TCP * → 443', 'HTTPS', 2e9, 0.15],
    ]);
    expect(rows[0]?.title).toBe('UDP from source port 53 (DNS), to any port');
    expect(rows[1]?.title).toBe('TCP to destination port 443 (HTTPS), from any port');
  });

  it('lists none for alerts recorded before ports were explained', () => {
    expect(portRows(undefined, 3)).toEqual([]);
    expect(portRows([dns, https], 1)).toHaveLength(1);
  });
});
