import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['source'] },
  test: { name: 'server', include: ['src/**/*.test.ts'], environment: 'node', testTimeout: 20_000 },
});
