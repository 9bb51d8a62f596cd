/**
 * A PostgreSQL database that refuses writes (issue 13, defect 1): turned read-only, or refusing
 * new connections. Every write answers 503 `unavailable` with Retry-After (an error frame with
 * `retry_after` on the socket), /readyz answers 503 with the reason, one error line per episode
 * says what to fix, the metric counts, and writes recover by themselves with nothing
 * acknowledged lost.
 *
 * The server connects as a role of its own, owner of its test database, because superusers
 * are exempt from connection limits. Changes to a database's or role's settings apply to new
 * sessions, so after each the test ends the server's sessions and its pool reconnects. A full
 * disk (53100) cannot be made safely here; its classification is pinned by the unit tests of
 * the classifier (test/unit/store/storage-failure-reason.test.ts).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { enabledDialects, PG_ADMIN_URL } from '../helpers/dialects.js';
import * as writes from '../helpers/failing-writes.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';

const describeIfPostgres = enabledDialects().includes('postgres') ? describe : describe.skip;

describeIfPostgres('PostgreSQL writes that the database refuses', () => {
  const role = `pneumatic_limited_${randomBytes(4).toString('hex')}`;
  let admin: pg.Client;
  const cleanup: (() => unknown)[] = [];

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`create role ${role} login`);
  });

  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  afterAll(async () => {
    await admin?.query(`drop role if exists ${role}`);
    await admin?.end();
  });

  /** A database owned by the role, and a server connected to it as the role. */
  async function serverAsRole(): Promise<{ database: TestDatabase; server: ServerProcess }> {
    const database = await createTestDatabase('postgres');
    cleanup.push(() => database.drop());
    const name = new URL(database.url).pathname.slice(1);
    await admin.query(`alter database ${name} owner to ${role}`);
    const url = new URL(database.url);
    url.username = role;
    const server = await spawnServer({ DATABASE_URL: url.toString(), LOG_LEVEL: 'info' });
    cleanup.push(() => server.stop());
    return { database: { ...database, url: url.toString() }, server };
  }

  /** Ends the server's sessions, so that its pool opens new ones under the changed settings. */
  async function endSessions(database: TestDatabase): Promise<void> {
    const name = new URL(database.url).pathname.slice(1);
    await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
  }

  /**
   * Makes the database refuse (`change`), then checks every write answers 503, /readyz says why
   * (`database`, `database_reason`) and the metric counts it; resolves with what was refused.
   */
  async function expectRefusedAfter(
    server: ServerProcess,
    writers: writes.Writers,
    database: TestDatabase,
    change: () => Promise<unknown>,
    state: { database: 'failing' | 'down'; database_reason: string },
  ): Promise<writes.Refused> {
    await change();
    await endSessions(database);
    const refused = await writes.expectEveryWriteRefused(writers);
    expect(await writes.readiness(server.url)).toEqual({ status: 503, body: { status: 'unavailable', ...state, bus: 'up' } });
    expect(await writes.storageFailures(server.url, state.database_reason)).toBeGreaterThanOrEqual(6);
    return refused;
  }

  it('regression (issue 13, defect 1): a read-only database answers 503 to every write, /readyz says read_only, and writes recover once it is writable', async () => {
    const { database, server } = await serverAsRole();
    const name = new URL(database.url).pathname.slice(1);
    const writers = await writes.setUpWriters(server.url, server.wsUrl);
    cleanup.push(() => writes.closeWriters(writers));

    const refused = await expectRefusedAfter(server, writers, database, () => admin.query(`alter database ${name} set default_transaction_read_only = on`), {
      database: 'failing',
      database_reason: 'read_only',
    });

    await admin.query(`alter database ${name} reset default_transaction_read_only`);
    await endSessions(database);
    await writes.waitUntilReady(server.url);
    await writes.expectEveryWriteWorks(writers, refused);

    const readOnlyLines = writes.storageLogLines(server.output()).filter((l) => l.level === 50 && l.reason === 'read_only');
    expect(readOnlyLines).toHaveLength(1);
    expect(readOnlyLines[0]!.msg).toMatch(/^PostgreSQL refuses writes \(SQLSTATE 25006, .*\): the database is read-only .*point DATABASE_URL at the primary, or turn read-only off$/);
    expect(server.output()).not.toContain('request failed');
  });

  it('answers 503 to every write while PostgreSQL refuses new connections, says too_many_connections, and recovers once it accepts them', async () => {
    const { database, server } = await serverAsRole();
    const writers = await writes.setUpWriters(server.url, server.wsUrl);
    cleanup.push(() => writes.closeWriters(writers));

    cleanup.push(() => admin.query(`alter role ${role} connection limit -1`));
    // The database answers nothing on a new connection, so it is down, and /readyz says why.
    const refused = await expectRefusedAfter(server, writers, database, () => admin.query(`alter role ${role} connection limit 0`), {
      database: 'down',
      database_reason: 'too_many_connections',
    });

    await admin.query(`alter role ${role} connection limit -1`);
    await writes.waitUntilReady(server.url);
    await writes.expectEveryWriteWorks(writers, refused);

    const lines = writes.storageLogLines(server.output()).filter((l) => l.level === 50 && l.reason === 'too_many_connections');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.msg).toMatch(/^PostgreSQL refuses new connections \(SQLSTATE 53300, .*too many connections for role.*\): raise max_connections/);
  });
});
