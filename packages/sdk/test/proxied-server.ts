/**
 * A server for a suite of SDK tests, with a TCP proxy in front that a test can cut to take a
 * client offline, and the cleanups each test registers (run after it, last first).
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startServer, type TestServer } from '../../../test/helpers/server.js';
import { startTcpProxy, type TcpProxy } from '../../../test/helpers/tcp-proxy.js';

export interface ProxiedServer {
  /** Set in beforeAll: use them inside tests. */
  readonly server: TestServer;
  readonly proxy: TcpProxy;
  readonly cleanups: Array<() => unknown>;
}

/** `env`: more settings for the server, over the suite's default (rate limits off). */
export function proxiedServerForSuite(env: Record<string, string> = {}): ProxiedServer {
  const suite = { cleanups: [] as Array<() => unknown> } as { server: TestServer; proxy: TcpProxy; cleanups: Array<() => unknown> };
  beforeAll(async () => {
    suite.server = await startServer({ dialect: 'sqlite', env: { RATE_LIMITS: 'off', ...env } });
    suite.proxy = await startTcpProxy('127.0.0.1', Number(new URL(suite.server.url).port));
  });
  afterEach(async () => {
    for (const cleanup of suite.cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await suite.proxy?.close();
    await suite.server?.close();
  });
  return suite;
}
