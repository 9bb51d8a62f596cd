/**
 * A real Pneumatic server on an ephemeral loopback port with its own fresh database.
 * Tests talk to it over real HTTP and WebSocket connections.
 *
 * PNEUMATIC_TEST_TOPOLOGY=cluster3 turns "a server" into three server processes on one
 * PostgreSQL database and a three-node Redis Cluster, behind a round-robin proxy (see
 * cluster-topology.ts): `url` and `wsUrl` are the proxy's, `config` is what the processes were
 * given, and `app` (in-process access) is not there: a suite that needs it cannot run so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import type { TypedApp } from '../../src/http/route-context.js';
import type { PushRecipientDeps } from '../../src/domain/push/push-recipients.js';
import { startThreeProcesses, testTopology } from './cluster-topology.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import type { Dialect } from './dialects.js';

export interface TestServer {
  app: TypedApp;
  config: Config;
  database: TestDatabase;
  /** http://127.0.0.1:PORT */
  url: string;
  /** ws://127.0.0.1:PORT */
  wsUrl: string;
  close(): Promise<void>;
}

export interface TestServerOptions {
  dialect?: Dialect;
  /** Extra environment settings, as a user would set them. */
  env?: Record<string, string>;
  /** Reuse an existing database (e.g. to restart a server on the same data). */
  database?: TestDatabase;
  logStream?: NodeJS.WritableStream;
  /** Stand-ins for notification settings and presence, deciding who gets a push (src/push/start-push.ts). */
  pushRecipients?: PushRecipientDeps;
  /** Webhook receivers' host names resolved as listed (the SSRF table maps names to private addresses). */
  webhookHosts?: Record<string, string[]>;
}

export async function startServer(options: TestServerOptions = {}): Promise<TestServer> {
  if (testTopology() === 'cluster3') return startOnThreeProcesses(options);
  const database = options.database ?? (await createTestDatabase(options.dialect ?? 'sqlite'));
  // Uploads go to a directory of the test's own (with PostgreSQL the default is the working directory).
  const uploadDir = options.env?.UPLOAD_DIR === undefined ? mkdtempSync(join(tmpdir(), 'pneumatic-uploads-')) : null;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    PASSWORD_HASH_COST: 'test',
    ...(uploadDir ? { UPLOAD_DIR: uploadDir } : {}),
    ...options.env,
    DATABASE_URL: database.url,
  });
  const app = await buildApp(config, {
    ...(options.logStream ? { logStream: options.logStream } : {}),
    ...(options.pushRecipients ? { pushRecipients: options.pushRecipients } : {}),
    ...(options.webhookHosts ? { webhookHosts: options.webhookHosts } : {}),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  let closed = false;
  return {
    app,
    config,
    database,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    close: async () => {
      if (closed) return;
      closed = true;
      await closeWithin(app, CLOSE_GRACE_MS);
      if (!options.database) await database.drop();
      if (uploadDir) rmSync(uploadDir, { recursive: true, force: true });
    },
  };
}

/** How long a test server's close may wait for open connections before it ends them. */
const CLOSE_GRACE_MS = 10_000;

/**
 * Closes the app; if its HTTP server still waits for a connection after `graceMs` (seen once in
 * CI, after every test of the file had passed), ends the remaining connections, saying so on
 * stderr, so one stuck socket cannot fail a suite's teardown at the hook timeout.
 */
async function closeWithin(app: TypedApp, graceMs: number): Promise<void> {
  const force = setTimeout(() => {
    process.stderr.write(`[test server] close still waiting after ${graceMs} ms: ending its remaining connections\n`);
    app.server.closeAllConnections();
  }, graceMs);
  try {
    await app.close();
  } finally {
    clearTimeout(force);
  }
}

async function startOnThreeProcesses(options: TestServerOptions): Promise<TestServer> {
  if (options.logStream || options.pushRecipients) throw new Error('a log stream or push stand-ins need the server in-process: not available under PNEUMATIC_TEST_TOPOLOGY=cluster3');
  const three = await startThreeProcesses(options.env, options.database);
  return {
    get app(): TypedApp {
      throw new Error('server.app needs the server in-process: not available under PNEUMATIC_TEST_TOPOLOGY=cluster3');
    },
    config: three.config,
    database: three.database,
    url: three.url,
    wsUrl: three.wsUrl,
    close: () => three.close(),
  };
}
