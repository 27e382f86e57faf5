import type { Alert } from '@surgewatch/shared';

/** A firing critical alert on RU for tests; `over` replaces any field. */
export function testAlert(over: Partial<Alert> = {}): Alert {
  return {
    id: 'country-flood|country=RU|1000',
    rule: 'country-flood',
    severity: 'critical',
    state: 'firing',
    subject: { country: 'RU' },
    description: 'Traffic from one country far above its baseline',
    metric: 'bps',
    threshold: 10e6,
    value: 250e6,
    peak: 300e6,
    startedAt: 1_000,
    updatedAt: 2_000,
    resolvedAt: null,
    ack: null,
    silencedBy: null,
    incidentId: null,
    history: [
      { at: 1_000, event: 'pending', value: 20e6 },
      { at: 2_000, event: 'firing', value: 250e6 },
    ],
    ...over,
  };
}
