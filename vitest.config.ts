import { configDefaults, defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './test/setup/longest-first-sequencer.js';

// Workspace packages export their TypeScript under the "source" condition, so tests run on the
// sources without a build step in between. Both projects inherit this (`extends: true`).
const conditions = ['source'];

// The v1 contract suites CI also runs against three server processes on a three-node Redis
// Cluster and one PostgreSQL database (PNEUMATIC_TEST_TOPOLOGY=cluster3, test/helpers/cluster-topology.ts):
// a representative set, about a minute on two workers. The others that work this way (any suite
// using only startServer/serverWithUsers without server.app or a log stream, e.g. members,
// history and frames) run so on request: PNEUMATIC_TEST_TOPOLOGY=cluster3 npx vitest run --project integration <files>.
const CLUSTER_SUITES = [
  'test/http/messages.routes.test.ts',
  'test/http/conversations.routes.test.ts',
  'test/http/read.routes.test.ts',
  'test/realtime/messaging.test.ts',
  'test/realtime/catch-up.test.ts',
];

// Millisecond tests of domain rules and SDK logic on in-memory fakes: no server, no database.
const unitTests = ['test/unit/**/*.test.ts', 'packages/*/test/unit/**/*.test.ts'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    reporters: ['default'],
    // Pool options are global, not per project. The unit project uses threads (and cluster3, below): its files
    // share workers and loaded modules, a few CPU seconds in all instead of a fresh module graph
    // per file. Every unit file restores what it changes (fake timers, stubbed globals) itself.
    //
    // Two forks for the black-box suites even on two cores (vitest's default there is one): most of
    // their time is spent waiting on servers, databases and timers, not computing, so a second
    // worker nearly halves the run. Suites do not share state: each creates its own databases,
    // Redis key prefixes and ports. The forks are not isolated either: a fork loads the server's
    // module graph once instead of once per file (about a second a file). The server keeps no
    // state in modules (each app has its own metrics registry, caches and stores), and no
    // integration suite mocks a module or changes process.env.
    poolOptions: { threads: { isolate: false }, forks: { maxForks: 2, minForks: 1, isolate: false } },
    sequence: { sequencer: LongestFirstSequencer },
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
          // A failed browser test reports what its pages logged.
          setupFiles: ['packages/web/test/page-log-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      {
        // The same suites, each "server" being three processes behind a round-robin proxy. On the
        // threads pool, after the unit project: a project of its own on the forks pool would wait
        // for every integration suite to end (an unisolated pool runs one project after the other),
        // then start cold forks; here it runs beside them, its servers being child processes.
        extends: true,
        test: {
          name: 'cluster3',
          include: CLUSTER_SUITES,
          env: { PNEUMATIC_TEST_TOPOLOGY: 'cluster3' },
          globalSetup: ['test/setup/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'threads',
        },
      },
    ],
  },
});
