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
    // Pool options are global, not per project. Only the unit project uses threads: its files
    // share workers and loaded modules, a few CPU seconds in all instead of a fresh module graph
    // per file. Every unit file restores what it changes (fake timers, stubbed globals) itself.
    poolOptions: { threads: { isolate: false } },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: unitTests,
          testTimeout: 5_000,
          // The only project on the threads pool, which runs unisolated (see poolOptions above).
          pool: 'threads',
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
