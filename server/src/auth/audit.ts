import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';

export type AuditEvent =
  'login' | 'login_failed' | 'logout' | 'denied' | 'ack' | 'silence_create' | 'silence_delete';

export interface AuditFields {
  user?: string;
  role?: string;
  via?: string;
  /** The client's address. */
  ip?: string | undefined;
  /** e.g. the route or socket event. */
  target?: string;
  outcome: 'ok' | 'failed';
  reason?: string;
  [key: string]: unknown;
}

/**
 * The audit trail: one structured log line per security-relevant event, marked `audit: true`
 * so a log shipper can route them apart, and a counter per event and outcome.
 */
export function createAudit(logger: Logger, registry: Registry) {
  const counter = new Counter({
    name: 'surgewatch_audit_events_total',
    help: 'Audited events: logins, failures, logouts, denials, acknowledgements, silences',
    labelNames: ['event', 'outcome'] as const,
    registers: [registry],
  });
  const log = logger.child({ audit: true });
  return (event: AuditEvent, fields: AuditFields): void => {
    counter.inc({ event, outcome: fields.outcome });
    log.info({ event, ...fields }, `audit ${event}`);
  };
}

export type Audit = ReturnType<typeof createAudit>;
