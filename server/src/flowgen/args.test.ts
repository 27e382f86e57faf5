import { describe, expect, it } from 'vitest';
import { parseFlowgenArgs, UsageError } from './args.js';

describe('parseFlowgenArgs', () => {
  it('has defaults that talk to the local broker', () => {
    expect(parseFlowgenArgs([], {})).toMatchObject({
      brokers: ['127.0.0.1:9092'],
      topic: 'flows',
      format: 'surgewatch',
      scenario: 'baseline',
      rate: 1000,
      durationMs: null,
      count: null,
      partitions: 1,
      batch: 1,
    });
    expect(parseFlowgenArgs([], { KAFKA_BROKERS: 'a:1,b:2' }).brokers).toEqual(['a:1', 'b:2']);
  });

  it('reads every option, and ignores the -- that pnpm passes through', () => {
    const o = parseFlowgenArgs(
      [
        '--',
        '--brokers',
        'k:9',
        '--topic',
        't1',
        '--format',
        'pmacct-json',
        '--scenario',
        'demo',
        '--rate',
        '500',
        '--duration',
        '1.5',
        '--partitions',
        '4',
        '--batch',
        '20',
        '--seed',
        '7',
        '--json',
      ],
      { KAFKA_BROKERS: 'ignored:1' },
    );
    expect(o).toMatchObject({
      brokers: ['k:9'],
      topic: 't1',
      format: 'pmacct-json',
      scenario: 'demo',
      rate: 500,
      durationMs: 1500,
      partitions: 4,
      batch: 20,
      seed: 7,
      json: true,
    });
  });

  it.each([
    [['--format', 'netflow']],
    [['--rate', '-1']],
    [['--count', '0']],
    [['--duration', '0']],
    [['--batch', '5', '--format', 'goflow2-json']],
    [['--brokers', 'nohost']],
    [['--topic', 'bad topic']],
    [['--unknown']],
  ])('rejects %j', (argv) => {
    expect(() => parseFlowgenArgs(argv, {})).toThrow(UsageError);
  });
});
