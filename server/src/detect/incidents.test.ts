import type { Alert } from '@surgewatch/shared';
import { describe, expect, it } from 'vitest';
import { assignIncidents, linked } from './incidents.js';

function alert(id: string, subject: Record<string, string>, countries: string[], startedAt = 0) {
  return {
    id,
    state: 'firing',
    subject,
    startedAt,
    incidentId: null,
    explanation: { countries: countries.map((key) => ({ key, name: key, bps: 1 })) },
  } as unknown as Alert;
}

describe('incidents', () => {
  it('links the same target, and overlapping source countries', () => {
    const web = alert('a', { destination: '203.0.113.10' }, ['CN', 'US']);
    expect(linked(web, alert('b', { destination: '203.0.113.10' }, ['DE']))).toBe(true);
    expect(linked(alert('c', { country: 'RU' }, []), alert('d', {}, ['RU', 'BR', 'CN']))).toBe(
      true,
    );
    expect(linked(alert('e', { country: 'DE' }, []), alert('f', {}, ['RU', 'BR', 'CN']))).toBe(
      false,
    );
    expect(linked(alert('g', {}, []), alert('h', {}, ['RU']))).toBe(false);
  });

  it('assigns sticky incidents, the oldest linked alert giving its id', () => {
    const a = alert('a', { country: 'RU' }, [], 1);
    const b = alert('b', { destination: '203.0.113.30' }, ['RU', 'BR'], 2);
    const c = alert('c', { country: 'DE' }, [], 3);
    expect(assignIncidents([c, b, a]).map((x) => x.id)).toEqual(['a', 'b', 'c']);
    expect([a.incidentId, b.incidentId, c.incidentId]).toEqual(['inc:a', 'inc:a', 'inc:c']);
    // nothing changes on the next pass
    expect(assignIncidents([a, b, c])).toEqual([]);
  });
});
