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

  it('says which wave it is, by what vectors, and how many more alerts its incident has', () => {
    const alert = testAlert({
      id: 'w2',
      subject: { destination: '203.0.113.10' },
      description: 'destination 203.0.113.10: packet flood',
      startedAt: 1_000_000,
      episode: {
        n: 2,
        previousId: 'w1',
        previousStartedAt: 0,
        previousResolvedAt: 1_000_000 - 9 * 60_000,
      },
      explanation: {
        condition: '',
        baseline: null,
        countries: [],
        asns: [],
        sources: [],
        vectors: [
          { key: 'tcp-syn', name: '', bps: 6e9, share: 0.62 },
          { key: 'udp-amp-dns', name: '', bps: 3e9, share: 0.31 },
        ],
        series: [],
        seriesFrom: 0,
      },
    });
    const c = notificationContent(alert, {}, false, 2);
    expect(c.title).toBe('CRITICAL · 203.0.113.10 · second wave');
    expect(c.options.body).toBe(
      [
        'destination 203.0.113.10: packet flood',
        'Second wave, 9 min after the first',
        'TCP SYN 62% · UDP reflection: DNS (53) 31%',
        '250 Mb/s (threshold 10.0 Mb/s, peak 300 Mb/s) · rule country-flood',
        '+2 more alerts in this incident',
      ].join('\n'),
    );
  });
});
