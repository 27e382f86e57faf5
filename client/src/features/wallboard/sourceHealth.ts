import type { SourceKind, SourceStatus } from '@surgewatch/shared';
import { formatCount, formatDuration, formatInteger } from '../../format/format.js';

export type HealthLevel = 'ok' | 'warn' | 'bad' | 'neutral';

export interface HealthItem {
  id: 'kind' | 'connected' | 'rate' | 'errors' | 'lag' | 'age' | 'update';
  label: string;
  value: string;
  level: HealthLevel;
  /** Longer text for a tooltip. */
  detail?: string | undefined;
}

const KIND_LABEL: Record<SourceKind, string> = {
  demo: 'Demo scenario',
  kafka: 'Kafka',
  replay: 'File replay',
};

/** Flows are exported after they end, so a few seconds of age is normal; this much is not. */
const AGE_WARN_MS = 15_000;
const AGE_BAD_MS = 60_000;

/**
 * The source health strip, as label/value pairs with a level. `serverNow` is the server
 * clock estimated on the client (ms epoch), so the age of the newest record is not skewed
 * by the wall PC's clock.
 */
export function sourceHealthItems(source: SourceStatus | null, serverNow: number): HealthItem[] {
  if (source === null) {
    return [{ id: 'connected', label: 'Source', value: 'waiting for the server', level: 'warn' }];
  }
  const items: HealthItem[] = [
    {
      id: 'kind',
      label: 'Source',
      value: KIND_LABEL[source.kind] ?? source.kind,
      level: 'neutral',
    },
    {
      id: 'connected',
      label: 'Status',
      value: source.connected ? 'Connected' : 'Disconnected',
      level: source.connected ? 'ok' : 'bad',
      // The banner carries the reason in full; here it would push the strip onto two lines.
      detail: source.message,
    },
    {
      id: 'rate',
      label: 'Records',
      value: `${formatCount(source.recordsPerSec)}/s`,
      level: source.connected && source.recordsPerSec <= 0 ? 'warn' : 'neutral',
    },
    {
      id: 'errors',
      label: 'Decode errors',
      value: formatInteger(source.decodeErrors),
      level: 'neutral',
    },
  ];
  if (source.lag !== null) {
    items.push({
      id: 'lag',
      label: 'Consumer lag',
      value: formatCount(source.lag),
      level: 'neutral',
    });
  }
  const age = source.lastRecordTs === null ? null : Math.max(0, serverNow - source.lastRecordTs);
  items.push({
    id: 'age',
    label: 'Newest record',
    value: age === null ? 'none yet' : `${formatDuration(age)} ago`,
    level: age === null || age > AGE_BAD_MS ? 'bad' : age > AGE_WARN_MS ? 'warn' : 'ok',
  });
  return items;
}

/**
 * How long ago the last snapshot or tick reached this screen (client clock, ms epoch): the
 * proof of life people glance at. Ticks come every second.
 */
export function lastUpdateItem(lastTickAt: number | null, now: number): HealthItem {
  const age = lastTickAt === null ? null : Math.max(0, now - lastTickAt);
  return {
    id: 'update',
    label: 'Last update',
    value: age === null ? 'never' : `${formatDuration(age)} ago`,
    level: age === null || age > 5_000 ? 'bad' : age > 2_500 ? 'warn' : 'ok',
  };
}
