import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['nubo-source'] },
  ssr: { resolve: { conditions: ['nubo-source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
