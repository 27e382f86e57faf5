import { defineConfig } from 'vitest/config';

// One run, four projects: the pure/unit tests beside the code in each package, and the
// cross-package suites in test/ (real Kafka broker, real browser).
export default defineConfig({
  test: {
    projects: ['shared', 'server', 'client', 'test'],
  },
});
