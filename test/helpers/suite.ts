/** The usual setup of an API suite, once: a server of its own and a few fresh users. */
import { afterAll, beforeAll } from 'vitest';
import { registerUsers, type TestUser } from './api-client.js';
import { startServer, type TestServer, type TestServerOptions } from './server.js';

export type ServerWithUsers<N extends readonly string[]> = { server: TestServer } & { [K in N[number]]: TestUser };

/**
 * Starts a server before the enclosing describe block's tests and closes it after them, with one
 * fresh user per name. Read the fields inside hooks and tests (`t.server.url`, `t.alice.api`):
 * they are filled in by the time those run, not while the suite is being collected.
 */
export function serverWithUsers<const N extends readonly string[]>(options: TestServerOptions, ...names: N): ServerWithUsers<N> {
  const suite = {} as Record<string, unknown>;
  beforeAll(async () => {
    const server = await startServer(options);
    suite.server = server;
    const users = await registerUsers(server.url, ...names);
    names.forEach((name, i) => (suite[name] = users[i]));
  });
  afterAll(() => (suite.server as TestServer | undefined)?.close());
  return suite as ServerWithUsers<N>;
}
