import type {
  AggDimension,
  AlertContributor,
  AlertSourceSummary,
  Dimension,
  Flow,
  Pair,
} from '@surgewatch/shared';
import { PAIR_SEP } from '@surgewatch/shared';
import type { Aggregator } from './aggregate/index.js';
import { countersOf, forEachKey, type Bucket } from './aggregate/bucket.js';
import type { Counters } from './aggregate/counters.js';
import type {
  Contributors,
  KeySample,
  RuleMetric,
  SubjectRef,
  TrafficReader,
} from './detect/index.js';
import { emptyKeys, type Enricher } from './enrich/enricher.js';

/** Contributors listed per kind. */
const TOP = 5;
/** Destinations remembered as ours or not (a spoofed flood's targets are few; a cap all the same). */
const OWN_CACHE = 65_536;
/** A subject's sources look spoofed (or a wide botnet) from this many on, none above SPREAD_SHARE. */
const SPREAD_SOURCES = 1_000;
const SPREAD_SHARE = 0.001;

const count = new Intl.NumberFormat('en-US');
const pct = (x: number) => `${(x * 100).toFixed(x < 0.01 ? 2 : 1)} %`;

/**
 * What the sources of a subject's traffic look like: their number, and the largest share one
 * of them is guaranteed to send (`lowerBounds` null: no heavy hitters were kept). Many
 * sources, none above 0.1 %, is a spoofed flood or a wide botnet: no address is worth
 * listing then.
 */
export function summarizeSources(
  distinct: number,
  lowerBounds: readonly number[] | null,
  subjectBps: number,
): AlertSourceSummary {
  const n0 = Math.round(distinct);
  // the total keeps no heavy hitters: its number of sources is all there is to say
  if (lowerBounds === null)
    return {
      distinct: n0,
      topShare: 0,
      spread: false,
      text: `${count.format(n0)} distinct source${n0 === 1 ? '' : 's'}`,
    };
  const top = Math.max(0, ...lowerBounds);
  const topShare = subjectBps > 0 ? Math.min(1, top / subjectBps) : 0;
  const n = Math.round(distinct);
  const spread = n >= SPREAD_SOURCES && topShare < SPREAD_SHARE;
  const listed = lowerBounds.filter((b) => b > 0);
  const sum = listed.reduce((a, b) => a + b, 0);
  const text = spread
    ? `${count.format(n)} distinct sources, none above ${SPREAD_SHARE * 100} %`
    : listed.length === 0
      ? `${count.format(n)} distinct source${n === 1 ? '' : 's'}`
      : `${count.format(n)} distinct source${n === 1 ? '' : 's'}; the top ${listed.length} send at least ${pct(subjectBps > 0 ? sum / subjectBps : 0)}`;
  return { distinct: n, topShare, spread, text };
}

function sample(key: string, c: Counters, sources: () => number): KeySample {
  return { key, bps: c.bytes * 8, pps: c.packets, fps: c.flows, sources };
}

function valueIn(b: Bucket, metric: RuleMetric, subject: SubjectRef): number {
  if (!subject) {
    if (metric === 'sources') return b.sources.estimate();
    return metric === 'share' ? 1 : valueOf(metric, b.total);
  }
  if (metric === 'sources') {
    let n = 0;
    forEachKey(b, subject.dim, (key, _c, sources) => {
      if (key === subject.key) n = sources();
    });
    return n;
  }
  const c = countersOf(b, subject.dim, subject.key);
  if (!c) return 0;
  if (metric === 'share') return b.total.bytes > 0 ? c.bytes / b.total.bytes : 0;
  return valueOf(metric, c);
}

function valueOf(metric: 'bps' | 'pps' | 'fps', c: Counters): number {
  return metric === 'bps' ? c.bytes * 8 : metric === 'pps' ? c.packets : c.flows;
}

/**
 * Detection's view of the aggregator (1-s buckets, so counters are already per second) and of
 * enrichment. Who sends a subject's traffic comes from the pair dimensions where they hold it
 * (a country's networks and vectors, the countries behind a network, target, service or
 * vector: exact), else from its top source addresses, whose country and AS enrichment knows.
 */
export function createDetectReader(aggregator: Aggregator, enricher: Enricher): TrafficReader {
  const keysOut = emptyKeys();
  const place = (src: string): { country: string; asn: string } => {
    const flow: Flow = {
      end: 0,
      start: 0,
      src,
      dst: src,
      sport: 0,
      dport: 0,
      proto: 6,
      bytes: 0,
      packets: 0,
      sampling: 1,
      tcpFlags: 0,
      srcAs: 0,
      dstAs: 0,
      exporter: '',
    };
    enricher.keys(flow, keysOut);
    return { country: keysOut.country, asn: keysOut.asn };
  };
  const named = (d: Dimension, key: string, bps: number): AlertContributor => ({
    key,
    name: enricher.name(d, key),
    bps,
  });
  const topOfDim = (b: Bucket, d: Dimension): AlertContributor[] => {
    const rows: [string, number][] = [];
    forEachKey(b, d, (key, c) => rows.push([key, c.bytes * 8]));
    rows.sort((x, y) => y[1] - x[1]);
    return rows.slice(0, TOP).map(([k, bps]) => named(d, k, bps));
  };
  /**
   * A subject's other side from a pair dimension, exactly: the ASNs or vectors of a country
   * (`side` 0 holds the country), or the countries of an ASN, target, service or vector (1).
   */
  const fromPair = (
    b: Bucket,
    pair: Pair,
    side: 0 | 1,
    key: string,
    d: Dimension,
  ): AlertContributor[] => {
    const rows: [string, number][] = [];
    forEachKey(b, pair, (k, c) => {
      const cut = k.indexOf(PAIR_SEP);
      if (cut < 0) return; // "other": pairs summed away when the second was sealed
      const [mine, theirs] =
        side === 0 ? [k.slice(0, cut), k.slice(cut + 1)] : [k.slice(cut + 1), k.slice(0, cut)];
      if (mine === key) rows.push([theirs, c.bytes * 8]);
    });
    return sumBy(rows, d);
  };
  const sumBy = (rows: [string, number][], d: Dimension): AlertContributor[] => {
    const m = new Map<string, number>();
    for (const [k, v] of rows) m.set(k, (m.get(k) ?? 0) + v);
    return [...m]
      .sort((x, y) => y[1] - x[1])
      .slice(0, TOP)
      .map(([k, bps]) => named(d, k, bps));
  };

  const ownCache = new Map<string, boolean>();
  const reader: TrafficReader = {
    own(dst) {
      if (!enricher.network || !enricher.hasNetworks) return true;
      let mine = ownCache.get(dst);
      if (mine === undefined) {
        mine = enricher.network(dst) !== null;
        if (ownCache.size >= OWN_CACHE) ownCache.clear();
        ownCache.set(dst, mine);
      }
      return mine;
    },
    second(t) {
      const b = aggregator.getBucket(t);
      if (!b) return null;
      const cache = new Map<AggDimension, KeySample[]>();
      return {
        total: {
          bps: b.total.bytes * 8,
          pps: b.total.packets,
          fps: b.total.flows,
          // an estimate walks the sketch: only rules on sources ask
          get sources() {
            return b.sources.estimate();
          },
        },
        keys(d) {
          let list = cache.get(d);
          if (!list) {
            const rows: KeySample[] = [];
            forEachKey(b, d, (key, c, sources) => rows.push(sample(key, c, sources)));
            list = rows;
            cache.set(d, list);
          }
          return list;
        },
      };
    },
    series(from, to, metric, subject) {
      const out: number[] = [];
      for (let t = from; t < to; t += 1000) {
        const b = aggregator.getBucket(t);
        out.push(b ? valueIn(b, metric, subject) : 0);
      }
      return out;
    },
    minutes(from, to, metric, subject) {
      const out: (number | null)[] = [];
      for (let t = from; t < to; t += 60_000) {
        const r = aggregator.rollupAt(t);
        // distinct sources of a minute are not a per-second count, and keys keep no sketch
        if (!r || metric === 'sources') {
          out.push(null);
          continue;
        }
        // a key missing from a kept minute had no traffic (or too little to be kept)
        const c = subject ? r.dims[subject.dim].get(subject.key) : r.total;
        if (metric === 'share') out.push(c && r.total.bytes > 0 ? c.bytes / r.total.bytes : 0);
        else out.push(c ? valueOf(metric, c) / 60 : 0);
      }
      return out;
    },
    contributors(t, subject): Contributors {
      if (subject && subject.dim.includes('.')) {
        // one country toward one target (or service, network, vector): the country's
        // networks, sources and vectors, and the pair's own traffic as its country
        const cut = subject.key.indexOf(PAIR_SEP);
        const country = subject.key.slice(0, cut);
        const of = reader.contributors(t, { dim: 'country', key: country });
        const b = aggregator.getBucket(t);
        const own = b ? countersOf(b, subject.dim, subject.key) : null;
        return { ...of, countries: [named('country', country, (own?.bytes ?? 0) * 8)] };
      }
      const b = aggregator.getBucket(t);
      const none: Contributors = { countries: [], asns: [], sources: [], vectors: [] };
      if (!b) return none;
      if (!subject) {
        return {
          countries: topOfDim(b, 'country'),
          asns: topOfDim(b, 'asn'),
          sources: [],
          vectors: topOfDim(b, 'vector'),
          sourceSummary: summarizeSources(b.sources.estimate(), null, b.total.bytes * 8),
        };
      }
      const hitters = aggregator.topSources(t, subject.dim as Dimension, subject.key);
      const own = countersOf(b, subject.dim, subject.key);
      const subjectBps = (own?.bytes ?? 0) * 8;
      // heavy hitters with guaranteed bounds: at least weight − error (what could be another
      // source's overcount), at most weight; one that is guaranteed nothing is not listed
      const bounded = hitters
        .map((h) => ({
          key: h.item,
          name: h.item,
          bps: (h.weight - h.error) * 8,
          bpsMax: h.weight * 8,
        }))
        .filter((h) => h.bps > 0)
        .sort((x, y) => y.bps - x.bps)
        .slice(0, TOP);
      let distinct = 0;
      forEachKey(b, subject.dim, (k, _c, n) => {
        if (k === subject.key) distinct = n();
      });
      const sourceSummary = summarizeSources(
        distinct,
        bounded.map((h) => h.bps),
        subjectBps,
      );
      const sources = sourceSummary.spread
        ? []
        : bounded.map((h) => ({ ...h, share: subjectBps > 0 ? h.bps / subjectBps : 0 }));
      // enrichment of the top sources, only when a pair dimension cannot answer
      let placedMemo: { country: string; asn: string; bps: number }[] | undefined;
      const placed = () =>
        (placedMemo ??= hitters.map((h) => ({ ...place(h.item), bps: h.weight * 8 })));
      const dim = subject.dim as Dimension;
      const key = subject.key;
      const self = [named(dim, key, (own?.bytes ?? 0) * 8)];
      // where a pair dimension holds the answer it is exact; else the top sources tell
      const countries =
        dim === 'country'
          ? self
          : dim === 'asn' || dim === 'destination' || dim === 'service' || dim === 'vector'
            ? fromPair(b, `country.${dim}`, 1, key, 'country')
            : sumBy(
                placed().map((p) => [p.country, p.bps]),
                'country',
              );
      return {
        countries,
        asns:
          dim === 'asn'
            ? self
            : dim === 'country'
              ? fromPair(b, 'country.asn', 0, key, 'asn')
              : sumBy(
                  placed().map((p) => [p.asn, p.bps]),
                  'asn',
                ),
        sources,
        vectors:
          dim === 'vector'
            ? self
            : dim === 'country'
              ? fromPair(b, 'country.vector', 0, key, 'vector')
              : [],
        sourceSummary,
      };
    },
    forEachSampled(t, fn) {
      const s = aggregator.flowSample(t);
      if (!s) return aggregator.getBucket(t) === undefined;
      s.forEach(fn);
      return true;
    },
    name: (d, key) => {
      const cut = key.indexOf(PAIR_SEP);
      if (!d.includes('.') || cut < 0) return enricher.name(d as Dimension, key);
      const other = d.slice(d.indexOf('.') + 1) as Dimension;
      return `${enricher.name('country', key.slice(0, cut))} → ${enricher.name(other, key.slice(cut + 1))}`;
    },
  };
  return reader;
}
