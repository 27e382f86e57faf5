import { defineProject } from 'vitest/config';

// The cross-package suites: integration against a real Kafka broker (started by
// kafka/globalSetup.ts unless KAFKA_BROKERS is set), end-to-end in a real browser.
export default defineProject({
  resolve: { conditions: ['source'] },
  test: {
    name: 'test',
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    globalSetup: ['./kafka/globalSetup.ts'],
  },
});
