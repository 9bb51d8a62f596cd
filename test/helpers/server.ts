/**
 * A real Pneumatic server on an ephemeral loopback port with its own fresh database.
 * Tests talk to it over real HTTP and WebSocket connections.
 */
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import type { TypedApp } from '../../src/http/route-context.js';
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
}

export async function startServer(options: TestServerOptions = {}): Promise<TestServer> {
  const database = options.database ?? (await createTestDatabase(options.dialect ?? 'sqlite'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    PASSWORD_HASH_COST: 'test',
    ...options.env,
    DATABASE_URL: database.url,
  });
  const app = await buildApp(config, options.logStream ? { logStream: options.logStream } : {});
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
      await app.close();
      if (!options.database) await database.drop();
    },
  };
}
