import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alert } from '@surgewatch/shared';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  capturesDir,
  goflow2Path,
  retime,
  softflowdExport,
  softflowdPath,
  startGoflow2,
  type Goflow2,
} from '../captures/chain.mjs';
import { encodeSurgewatch } from '../../server/src/ingest/decode/encode.js';
import { startServer, waitFor, type RunningServer } from '../harness/server.js';
import { createTopic, uniqueTopic } from '../kafka/topics.js';
import { produce, type TrafficResponse } from './surgewatch.js';

// Three real DDoS captures through a real collector chain into the real broker and server:
// each capture re-timed to now at 20 kpps for 6 s → softflowd -r (NetFlow v9) → goflow2 v2.2.6
// (-format=bin) → Kafka → surgewatch with its default rules and our network 10.10.10.0/24.
// The flows must add up exactly to the packets in the capture, and an alert on the victim
// must name the capture's vector.
//
// The captures: DDoS Packet Capture Collection, L.F. Haaijer (2022),
// github.com/StopDDoS/packet-captures ("may be freely used to build and improve DDoS Protection
// systems"; attribution appreciated), victim anonymised as 10.10.10.10.
const CAPTURES = [
  { file: 'pkt.TCP.synflood.spoofed.pcap', vector: 'tcp-syn' },
  { file: 'amp.TCP.reflection.SYNACK.pcap', vector: 'tcp-synack' },
  { file: 'amp.UDP.isakmp.pcap', vector: 'udp-amp-ike' },
] as const;
const VICTIM = '10.10.10.10';
const PPS = 20_000;
const DURATION_MS = 6_000;
/**
 * Ordinary traffic to another of our hosts for the 30 s before the attack: a rule with a usual
 * level learns for its first 20 s of traffic (docs/detection.md), as on a network surgewatch
 * has watched for a while. 50 flows a second of 10 packets, 6,000 bytes.
 */
const WARM_S = 30;
const WARM_FPS = 50;

function warmUp(nowMs: number): {
  values: Buffer[];
  flows: number;
  packets: number;
  bytes: number;
  /** The first second of the warm-up, ms epoch. */
  firstMs: number;
} {
  const values: Buffer[] = [];
  for (let s = WARM_S; s >= 1; s--) {
    const end = nowMs - s * 1000;
    const flows = Array.from({ length: WARM_FPS }, (_, i) => ({
      end,
      start: end,
      src: `85.214.${i % 256}.${1 + ((i * 7) % 250)}`,
      dst: '10.10.10.20',
      sport: 40_000 + i,
      dport: 443,
      proto: 6,
      bytes: 6_000,
      packets: 10,
      sampling: 1,
      tcpFlags: 0x18,
      srcAs: 0,
      dstAs: 0,
      exporter: '',
    }));
    values.push(encodeSurgewatch(flows));
  }
  const flows = WARM_S * WARM_FPS;
  return {
    values,
    flows,
    packets: flows * 10,
    bytes: flows * 6_000,
    firstMs: nowMs - WARM_S * 1000,
  };
}

describe('real captures through softflowd and goflow2', () => {
  const brokers = inject('kafkaBrokers');
  const dir = mkdtempSync(join(tmpdir(), 'surgewatch-captures-'));
  let server: RunningServer | undefined;
  let goflow2: Goflow2 | undefined;

  beforeAll(() => {
    // CI installs both (.ci/run); a missing one is a failure, never a skip
    softflowdPath();
    goflow2Path();
  });
  afterEach(async () => {
    await goflow2?.stop();
    await server?.stop();
    goflow2 = undefined;
    server = undefined;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A server on a new topic, warmed up with ordinary traffic, and goflow2 feeding it. */
  async function start() {
    const topic = uniqueTopic('captures');
    await createTopic(brokers, topic, 1);
    server = await startServer({
      config: {
        source: 'kafka',
        log: { level: 'info' },
        // no late share of the chain may be folded into "other" before it is counted
        retention: { sealAfter: '10m' },
        networks: [{ name: 'victim-net', cidrs: ['10.10.10.0/24'] }],
        kafka: {
          brokers,
          topic,
          groupId: uniqueTopic('g'),
          format: 'auto',
          fromBeginning: true,
          partialsTopic: uniqueTopic('partials'),
          alertsTopic: uniqueTopic('alerts'),
        },
      },
      timeoutMs: 60_000,
    });
    const url = server.url;
    await waitFor(async () => (await fetch(`${url}/readyz`)).ok, 30_000);
    const warm = warmUp(Date.now());
    await produce(brokers, topic, warm.values);
    const warmFrom = Math.floor((Date.now() - 120_000) / 60_000) * 60_000;
    await waitFor(async () => {
      const res = await fetch(
        `${url}/api/traffic?by=destination&from=${warmFrom}&to=${warmFrom + 240_000}&step=60000`,
      );
      return ((await res.json()) as TrafficResponse).totals.flows >= warm.flows;
    }, 30_000);
    goflow2 = await startGoflow2({ brokers, topic, format: 'bin' });
    return { url, warm, warmFrom, gf: goflow2, topic };
  }

  /** The capture re-timed to start now, through softflowd into goflow2. */
  async function replay(file: string, gf: Goflow2, durationMs = DURATION_MS) {
    const pcap = join(dir, `${Date.now()}-${file}`);
    const sent = retime(join(capturesDir(), file), pcap, {
      pps: PPS,
      startMs: Date.now(),
      durationMs,
    });
    const exported = await softflowdExport(pcap, {
      port: gf.port,
      received: () => gf.metric('goflow2_flow_traffic_packets_total'),
    });
    return { sent, exported };
  }

  const alertsOf = async (url: string) =>
    ((await (await fetch(`${url}/api/alerts`)).json()) as { alerts: Alert[] }).alerts;

  it.each(CAPTURES)(
    '$file: exact sums, and an alert on the victim naming $vector',
    async (c) => {
      const { url, warm, warmFrom, gf } = await start();
      const { sent, exported } = await replay(c.file, gf);
      // softflowd sees every IP packet (the SYN-ACK capture holds 4 non-IP frames) and loses none
      expect(exported.packets).toBe(sent.ipPackets);
      expect(exported.failures).toBe(0);
      expect(Object.keys(sent.byDestination)).toEqual([VICTIM]);

      // every flow reaches the server; its sums are the capture's, exactly
      const from = Math.min(warmFrom, Math.floor(sent.firstMs / 60_000) * 60_000 - 60_000);
      const to = Math.ceil(sent.lastMs / 60_000) * 60_000 + 60_000;
      const traffic = await waitFor(async () => {
        const res = await fetch(
          `${url}/api/traffic?by=destination&from=${from}&to=${to}&step=60000&top=1000`,
        );
        const t = (await res.json()) as TrafficResponse;
        return t.totals.flows >= exported.flowsExported + warm.flows ? t : null;
      }, 45_000);
      expect(traffic.totals).toEqual({
        flows: exported.flowsExported + warm.flows,
        packets: sent.ipPackets + warm.packets,
        bytes: sent.bytes + warm.bytes,
      });
      const victim = traffic.groups.find((g) => g.key === VICTIM || g.key.includes(VICTIM));
      expect(victim, JSON.stringify(traffic.groups.map((g) => g.key))).toBeDefined();
      expect({ packets: victim!.packets, bytes: victim!.bytes }).toEqual({
        packets: sent.byDestination[VICTIM]!.packets,
        bytes: sent.byDestination[VICTIM]!.bytes,
      });

      // the default rules see an attack on the victim, and name its vector
      let alerts: Alert[] = [];
      const alert = await waitFor(async () => {
        alerts = await alertsOf(url);
        return alerts.find(
          (a) =>
            a.subject.destination === VICTIM &&
            Object.keys(a.subject).length === 1 &&
            (a.state === 'firing' || (a.history ?? []).some((h) => h.event === 'firing')),
        );
      }, 30_000).catch((err: Error) => {
        throw new Error(`${err.message}; the server's alerts: ${JSON.stringify(alerts, null, 1)}`);
      });
      expect(alert.subject).toEqual({ destination: VICTIM });
      expect(alert.explanation?.vectors[0]?.key, JSON.stringify(alert.explanation?.vectors)).toBe(
        c.vector,
      );
    },
    120_000,
  );

  it('a wave, a calm and a second wave are two episodes of one incident', async () => {
    const { url, gf } = await start();
    const capture = 'pkt.TCP.synflood.spoofed.pcap';
    const onVictim = (a: Alert) =>
      a.subject.destination === VICTIM && a.rule === 'target-packet-flood';
    await replay(capture, gf, 4_000);
    const first = await waitFor(async () => (await alertsOf(url)).find(onVictim), 30_000);
    // the wave ends: 5 s below its clear level, once those seconds are final
    const resolved = await waitFor(
      async () => (await alertsOf(url)).find((a) => a.id === first.id && a.state === 'resolved'),
      90_000,
    );
    await replay(capture, gf, 4_000);
    const second = await waitFor(
      async () => (await alertsOf(url)).find((a) => onVictim(a) && a.id !== first.id),
      30_000,
    );
    expect(second.state).toBe('firing');
    expect(second.startedAt).toBeGreaterThanOrEqual(resolved.resolvedAt as number);
    expect(second.episode).toEqual({
      n: 2,
      previousId: first.id,
      previousStartedAt: first.startedAt,
      previousResolvedAt: resolved.resolvedAt,
    });
    expect(second.incidentId).toBe(resolved.incidentId);
    expect(second.explanation?.vectors[0]?.key).toBe('tcp-syn');
    // the first wave stays as it was: resolved, its own peak
    const again = (await alertsOf(url)).find((a) => a.id === first.id);
    expect(again?.state).toBe('resolved');
    expect(again?.history?.map((h) => h.event)).toEqual(['firing', 'resolved']);
  }, 180_000);

  it("a flow exported late (a router's active timeout) judges again the seconds it covers", async () => {
    const { url, topic, warm } = await start();
    // one reflection flow that began 2 s into the warm-up and ended 3 s ago, exported now
    const start0 = warm.firstMs + 2_000;
    const end = Date.now() - 3_000;
    const packets = Math.round(((end - start0) / 1000) * 30_000);
    await produce(brokers, topic, [
      encodeSurgewatch([
        {
          end,
          start: start0,
          src: '198.51.100.7',
          dst: '10.10.10.11',
          sport: 123,
          dport: 40_000,
          proto: 17,
          bytes: packets * 468,
          packets,
          sampling: 1,
          tcpFlags: 0,
          srcAs: 0,
          dstAs: 0,
          exporter: '',
        },
      ]),
    ]);
    const alert = await waitFor(
      async () =>
        (await alertsOf(url)).find(
          (a) => a.subject.destination === '10.10.10.11' && a.rule === 'target-packet-flood',
        ),
      30_000,
    );
    // it began where the flow began, not when it was read
    expect(alert.startedAt).toBe(Math.floor(start0 / 1000) * 1000);
    expect(alert.explanation?.vectors[0]?.key).toBe('udp-amp-ntp');
  }, 120_000);
});
