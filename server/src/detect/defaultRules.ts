import type { RuleInput } from './rules.js';

/**
 * Rules used when the configuration names none, for a small-to-medium site with only
 * `networks:` set. Each of our addresses has static floors on packets, bits and flow records
 * per second — at least as sensitive as FastNetMon CE's defaults (20 kpps, 1,000 Mb/s, 3,500
 * flows/s per host) — that a host busy by nature raises to 4 × its usual level; they fire on
 * the first second above (late flows only add to a second: what has arrived already exceeds)
 * and clear after 5 s below, so a 1-s exporter's attack is seen within 2–3 s and resolved
 * within 10 s of its end. Every attack vector has the same floors as a warning; learned
 * baselines catch what is unusual for this site from a country, a network or in total.
 */
export const DEFAULT_RULES: RuleInput[] = [
  {
    name: 'target-packet-flood',
    metric: 'pps',
    scope: 'destination',
    ownOnly: true,
    when: { above: 10_000, usual: 4 },
    for: '1s',
    clearFor: '5s',
    severity: 'critical',
    labels: { kind: 'target' },
    description: 'a packet flood toward this address',
  },
  {
    name: 'target-volume-flood',
    metric: 'bps',
    scope: 'destination',
    ownOnly: true,
    when: { above: 100e6, usual: 4 },
    for: '1s',
    clearFor: '5s',
    severity: 'critical',
    labels: { kind: 'target' },
    description: 'a volumetric flood toward this address',
  },
  {
    name: 'target-flow-flood',
    metric: 'fps',
    scope: 'destination',
    ownOnly: true,
    when: { above: 3_500, usual: 4 },
    for: '1s',
    clearFor: '5s',
    severity: 'critical',
    labels: { kind: 'target' },
    description: 'a flood of flows toward this address (spoofed or many sources)',
  },
  {
    name: 'vector-packet-flood',
    metric: 'pps',
    scope: 'vector',
    when: { above: 10_000, usual: 4 },
    for: '2s',
    clearFor: '5s',
    severity: 'warning',
    labels: { kind: 'vector' },
    description: 'far more packets of this attack vector than usual',
  },
  {
    name: 'vector-volume-flood',
    metric: 'bps',
    scope: 'vector',
    when: { above: 100e6, usual: 4 },
    for: '2s',
    clearFor: '5s',
    severity: 'warning',
    labels: { kind: 'vector' },
    description: 'far more traffic of this attack vector than usual',
  },
  {
    name: 'packet-flood',
    metric: 'pps',
    when: { above: 1e6 },
    for: '3s',
    severity: 'critical',
    labels: { kind: 'volume' },
    description: 'more than 1 Mpps: a packet flood',
  },
  {
    name: 'total-traffic-surge',
    metric: 'bps',
    when: { baseline: { k: 3, floor: 100e6 } },
    for: '5s',
    severity: 'warning',
    labels: { kind: 'volume' },
    description: 'traffic far above its usual level',
  },
  {
    name: 'country-surge',
    metric: 'bps',
    scope: 'country',
    when: { baseline: { k: 5, floor: 200e6 } },
    for: '5s',
    severity: 'warning',
    labels: { kind: 'origin' },
    description: 'traffic from this country far above its usual level',
  },
  {
    name: 'network-surge',
    metric: 'bps',
    scope: 'asn',
    when: { baseline: { k: 5, floor: 300e6 } },
    for: '5s',
    severity: 'warning',
    labels: { kind: 'origin' },
    description: 'traffic from this network far above its usual level',
  },
  {
    name: 'source-explosion',
    metric: 'sources',
    // relative: a site's distinct sources are steady, so a z-score's MAD is tiny and ordinary
    // noise crossed it (one warning in 10 minutes of flowgen's baseline)
    when: { baseline: { k: 3, floor: 2000 } },
    for: '10s',
    severity: 'warning',
    labels: { kind: 'spoofing' },
    description: 'far more distinct sources than usual: spoofed or a botnet',
  },
];
