import type { Flow } from '@surgewatch/shared';
import type { FlowKeys } from '../flow.js';
import { Aggregator, aggregatorOptions, type AggregatorOptions } from './aggregator.js';

/** Fixtures for the aggregation tests: a flow, its keys, and an aggregator with test options. */
export const T0 = 1_800_000_000_000;

export function testFlow(
  end: number,
  src: string,
  bytes: number,
  packets: number,
  start = end,
  dst = '203.0.113.10',
): Flow {
  return {
    end,
    start,
    src,
    dst,
    sport: 1234,
    dport: 443,
    proto: 6,
    bytes,
    packets,
    sampling: 1,
    tcpFlags: 0x18,
    srcAs: 0,
    dstAs: 0,
    exporter: '',
  };
}

export function testKeys(country: string, extra: Partial<FlowKeys> = {}): FlowKeys {
  return {
    country,
    region: `${country}-region`,
    continent: `${country}-continent`,
    asn: `AS${country.length}`,
    destination: '203.0.113.10',
    service: 'web',
    protocol: 'TCP',
    vector: 'tcp',
    ...extra,
  };
}

/** The options of {@link testAggregator}. */
export const TEST_AGGREGATOR_OPTIONS: AggregatorOptions = aggregatorOptions();

export function testAggregator(opts: Partial<AggregatorOptions> = {}, now = T0): Aggregator {
  const a = new Aggregator({ ...TEST_AGGREGATOR_OPTIONS, ...opts });
  a.advance(now);
  return a;
}
