import { configDefaults, defineConfig } from 'vitest/config';

// Workspace packages export their TypeScript under the "source" condition, so tests run on the
// sources without a build step in between. Both projects inherit this (`extends: true`).
const conditions = ['source'];

// Millisecond tests of domain rules and SDK logic on in-memory fakes: no server, no database.
const unitTests = ['test/unit/**/*.test.ts', 'packages/*/test/unit/**/*.test.ts'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: unitTests,
          testTimeout: 5_000,
        },
      },
      {
        // Black-box suites: real HTTP/WebSocket servers, SQLite files, PostgreSQL and Redis.
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...unitTests],
          globalSetup: ['test/setup/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
    ],
  },
});
