import { describe, expect, it } from 'vitest';
import { badgeText, faviconFor, titleFor, unattendedCount } from './badge.js';
import { notificationContent } from './notificationContent.js';
import { testAlert } from './testAlert.js';

describe('title and favicon', () => {
  it('counts firing alerts nobody is on', () => {
    expect(
      unattendedCount([
        testAlert({ id: 'a' }),
        testAlert({ id: 'b', severity: 'info' }),
        testAlert({ id: 'c', ack: { by: 'x', at: 1, note: '' } }),
        testAlert({ id: 'd', silencedBy: 's' }),
        testAlert({ id: 'e', state: 'pending' }),
      ]),
    ).toBe(2);
  });

  it('puts the count in front of the title only when there is one', () => {
    expect(titleFor(0, 'surgewatch')).toBe('surgewatch');
    expect(titleFor(3, 'surgewatch')).toBe('(3) surgewatch');
  });

  it('draws the count, capped at 99+, as an SVG data URL', () => {
    expect(badgeText(7)).toBe('7');
    expect(badgeText(120)).toBe('99+');
    const icon = faviconFor(12);
    expect(icon.startsWith('data:image/svg+xml,')).toBe(true);
    expect(icon).toContain('>12<'.replace(/</g, '%3C').replace(/>/g, '%3E'));
    expect(faviconFor(0)).not.toContain('circle');
  });
});

describe('notification content', () => {
  it('names severity and subject, tags by alert id, links to the alert', () => {
    const c = notificationContent(testAlert(), { RU: 'Russia' }, false);
    expect(c.title).toBe('CRITICAL · RU Russia');
    expect(c.options.tag).toBe('country-flood|country=RU|1000');
    expect(c.options.requireInteraction).toBe(true);
    expect(c.options.data.url).toBe('/oncall#alert=country-flood%7Ccountry%3DRU%7C1000');
    expect(c.options.body).toContain('250 Mb/s');
    expect(notificationContent(testAlert(), {}, true).options.body).toMatch(/^Still firing/);
  });
});
