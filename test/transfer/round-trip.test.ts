/**
 * `npm run export` and `npm run import` (README.md, "Moving a server: export and import"): a seeded
 * server (10,000 messages, edits, deletes, reactions, pins, a thread, read positions, a block, a
 * report, admin actions) exported from SQLite, imported into an empty PostgreSQL database, then
 * exported from there and imported into an empty SQLite database: each server answers the API
 * exactly as the first did, users log in with the same passwords and the tokens they held work.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { registerNamed, Api, createConversation, registerUser, type TestUser } from '../helpers/api-client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';

const MESSAGES = 10_000;
const ENV = { RATE_LIMITS: 'off', ADMIN_USERNAMES: 'chief' };

/** Runs the compiled CLI as `npm run export` and `npm run import` do (the test setup builds dist/ first): loading the sources through tsx would cost each run seconds of CPU. */
function runCli(databaseUrl: string, args: string[]) {
  const result = spawnSync(process.execPath, ['dist/src/cli/transfer-cli.js', ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Seeds the server; returns its users (with passwords) and conversation ids. */
async function seed(server: TestServer): Promise<{ users: TestUser[]; conversations: string[] }> {
  const chief = await registerNamed(server.url, 'chief');
  const [ana, ben, cy] = await Promise.all([registerUser(server.url, 'ana'), registerUser(server.url, 'ben'), registerUser(server.url, 'cy')]);
  const users = [chief, ana, ben, cy];
  const conversations = [
    (await createConversation(ana, [ben, cy])).id,
    (await createConversation(ben, [cy])).id,
    (await createConversation(cy, [ana])).id,
  ];
  const senders = [[ana, ben, cy], [ben, cy], [cy, ana]] as const;
  const sent: { id: string; by: TestUser; conversation: string }[] = [];
  for (let i = 0; i < MESSAGES; i += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, MESSAGES - i) }, async (_, j) => {
        const c = (i + j) % 3;
        const by = senders[c]![(i + j) % senders[c]!.length]!;
        const id = randomUUID();
        const response = await by.api.post(`/conversations/${conversations[c]}/messages`, { message_id: id, content: `message ${i + j} @${ana.user.username}` });
        expect(response.status).toBe(201);
        sent.push({ id, by, conversation: conversations[c]! });
      }),
    );
  }
  const [first, second, third] = sent;
  expect((await first!.by.api.patch(`/messages/${first!.id}`, { content: 'edited' })).status).toBe(200);
  expect((await second!.by.api.delete(`/messages/${second!.id}`)).status).toBe(204);
  expect((await ana.api.put(`/messages/${third!.id}/reactions/${encodeURIComponent('👍')}`)).status).toBeLessThan(300);
  expect((await ana.api.put(`/conversations/${conversations[0]}/pins/${sent.find((s) => s.conversation === conversations[0])!.id}`)).status).toBeLessThan(300);
  const root = sent.filter((s) => s.conversation === conversations[1])[10]!;
  expect((await cy.api.post(`/conversations/${conversations[1]}/messages`, { message_id: randomUUID(), content: 'in a thread', thread_root_id: root.id })).status).toBe(201);
  for (const [user, c] of [[ana, 0], [ben, 1], [cy, 2]] as const) expect((await user.api.post(`/conversations/${conversations[c]}/read`, { seq: 1234 })).status).toBe(204);
  expect((await ana.api.put(`/users/me/blocks/${ben.user.id}`)).status).toBe(204);
  const reported = sent.find((s) => s.conversation === conversations[0] && s.by !== cy)!;
  expect((await cy.api.post(`/messages/${reported.id}/reports`, { reason: 'rude' })).status).toBe(201);
  expect((await chief.api.patch(`/admin/users/${ben.user.id}`, { role: 'admin' })).status).toBe(200);
  expect((await ana.api.patch(`/conversations/${conversations[0]}/members/${ben.user.id}`, { role: 'admin' })).status).toBe(200);
  // A message removal whose window holds nothing: its job row moves too, done before the export.
  const started = await chief.api.post(`/admin/users/${cy.user.id}/message-removals`, { from: '1999-12-31T00:00:00Z', to: '2000-01-01T00:00:00Z' });
  expect(started.status).toBe(202);
  const removal = started.body.id as string;
  while ((await chief.api.get(`/admin/message-removals/${removal}`)).body.status === 'running') await new Promise((resolve) => setTimeout(resolve, 20));
  return { users, conversations };
}

/** What the API answers each user, read with a fresh login (the password) and with the token they held. */
async function answers(url: string, users: TestUser[], conversations: string[]): Promise<unknown> {
  const out: Record<string, unknown> = {};
  for (const held of users) {
    const login = await new Api(url).post('/sessions', { username: held.user.username, password: held.password });
    expect(login.status).toBe(201);
    const api = new Api(url, login.body.token);
    expect((await new Api(url, held.token).get('/users/me')).status).toBe(200);
    const mine: Record<string, unknown> = { me: (await api.get('/users/me')).body, list: (await api.get('/conversations?limit=200')).body, blocks: (await api.get('/users/me/blocks')).body };
    for (const id of conversations) {
      const conversation = await api.get(`/conversations/${id}`);
      if (conversation.status !== 200) continue;
      const history: unknown[] = [];
      for (let after = 0; ; ) {
        const page = (await api.get(`/conversations/${id}/messages?after=${after}&limit=200`)).body;
        history.push(...page.messages);
        if (!page.has_more) break;
        after = page.messages.at(-1).seq;
      }
      const events = (await api.get(`/conversations/${id}/events?after=0&limit=500`)).body;
      mine[id] = { conversation: conversation.body, history, events, pins: (await api.get(`/conversations/${id}/pins`)).body };
    }
    if ((await api.get('/users/me/role')).body.role === 'admin') {
      mine.admin = { users: (await api.get('/admin/users?limit=100')).body, audit: (await api.get('/admin/audit?limit=100')).body, reports: (await api.get('/admin/reports')).body, removals: (await api.get('/admin/message-removals')).body };
    }
    out[held.user.username] = mine;
  }
  return out;
}

const bothDialects = enabledDialects().includes('sqlite') && enabledDialects().includes('postgres');

describe.runIf(bothDialects)('export and import: SQLite → PostgreSQL → SQLite', () => {
  const cleanup: (() => Promise<void>)[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'pneumatic-export-'));
  afterAll(async () => {
    for (const fn of cleanup.reverse()) await fn();
    rmSync(dir, { recursive: true, force: true });
  });

  it('moves a seeded server of 10,000 messages both ways and the API answers the same', { timeout: 600_000 }, async () => {
    // A database of the test's own: a server started without one drops its database as it closes.
    const sourceDatabase = await createTestDatabase('sqlite');
    cleanup.push(() => sourceDatabase.drop());
    const source = await startServer({ dialect: 'sqlite', database: sourceDatabase, env: ENV });
    const { users, conversations } = await seed(source);
    const before = await answers(source.url, users, conversations);
    await source.close();

    const toPostgres = join(dir, 'from-the-original.jsonl');
    const exported = runCli(source.database.url, ['export', toPostgres]);
    expect({ status: exported.status, stderr: exported.stderr }).toEqual({ status: 0, stderr: expect.not.stringContaining('failed') });
    expect(exported.stdout).toMatch(/exported to .* rows in/);
    expect(exported.stdout).toMatch(/messages\s+10,001/);

    let previousFile = toPostgres;
    for (const dialect of ['postgres', 'sqlite'] as const) {
      const database: TestDatabase = await createTestDatabase(dialect);
      cleanup.push(() => database.drop());
      const imported = runCli(database.url, ['import', previousFile]);
      expect({ status: imported.status, stderr: imported.stderr }).toEqual({ status: 0, stderr: expect.not.stringContaining('failed') });
      expect(imported.stdout).toMatch(/messages\s+10,001/);
      const server = await startServer({ dialect, database, env: ENV });
      try {
        expect(await answers(server.url, users, conversations)).toEqual(before);
      } finally {
        await server.close();
      }
      previousFile = join(dir, `from-${dialect}.jsonl`);
      const again = runCli(database.url, ['export', previousFile]);
      expect({ status: again.status, stderr: again.stderr }).toEqual({ status: 0, stderr: expect.not.stringContaining('failed') });
    }
  });
});
