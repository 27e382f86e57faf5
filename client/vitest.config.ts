import { defineProject } from 'vitest/config';

// Only the pure transforms and the store are unit-tested here (node environment, no DOM);
// the rendered page is covered by the browser end-to-end suite in test/e2e.
export default defineProject({
  resolve: { conditions: ['source'] },
  test: { name: 'client', include: ['src/**/*.test.ts'], environment: 'node' },
});
