/**
 * What `npm run import` refuses (README.md, "Moving a server: export and import"): a database that is not
 * empty, a file that is not an export, of another schema, damaged, cut off, with unknown tables or
 * columns, or holding other counts than its header says. Each refusal names the line and leaves
 * the database empty: a later good import then succeeds.
 */
import { PassThrough } from 'node:stream';
import { text } from 'node:stream/consumers';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, registerUser } from '../helpers/api-client.js';
import { createTestDatabase } from '../helpers/databases.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer } from '../helpers/server.js';
import { parseDatabaseUrl } from '../../src/store/database-url.js';
import { openDb, type OpenedDb } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { exportDatabase } from '../../src/store/transfer/export-database.js';
import { importDatabase } from '../../src/store/transfer/import-database.js';

const OPTIONS = { poolMax: 2, statementTimeoutMs: 60_000, connectTimeoutMs: 5000, sqliteBusyTimeoutMs: 5000 };

async function open(url: string, cleanup: (() => Promise<void>)[]): Promise<OpenedDb> {
  const opened = openDb(parseDatabaseUrl(url), OPTIONS);
  cleanup.push(() => opened.db.destroy());
  await migrateToLatest(opened.db, opened.dialect);
  return opened;
}

const asAsync = (lines: string[]) => () =>
  (async function* () {
    yield* lines;
  })();

for (const dialect of enabledDialects()) {
  describe(`import refusals [${dialect}]`, () => {
    const cleanup: (() => Promise<void>)[] = [];
    let lines: string[];
    let empty: OpenedDb;
    beforeAll(async () => {
      const source = await createTestDatabase('sqlite');
      cleanup.push(() => source.drop());
      const server = await startServer({ dialect: 'sqlite', database: source, env: { RATE_LIMITS: 'off' } });
      const [ana, ben] = await Promise.all([registerUser(server.url, 'ana'), registerUser(server.url, 'ben')]);
      const conversation = await createConversation(ana, [ben]);
      for (let i = 0; i < 5; i++) await ana.api.post(`/conversations/${conversation.id}/messages`, { message_id: randomUUID(), content: `m${i}` });
      await server.close();
      const out = new PassThrough();
      const written = text(out);
      await exportDatabase(await open(source.url, cleanup), null, out);
      out.end();
      lines = (await written).trimEnd().split('\n');
      const target = await createTestDatabase(dialect);
      cleanup.push(() => target.drop());
      empty = await open(target.url, cleanup);
    });
    afterAll(async () => {
      for (const fn of cleanup.reverse()) await fn();
    });

    const refusal = async (file: string[]) => importDatabase(empty, asAsync(file)).then(() => 'imported', (error: Error) => error.message);
    const header = () => JSON.parse(lines[0]!);
    const swap = (index: number, line: unknown) => lines.map((l, i) => (i === index ? (typeof line === 'string' ? line : JSON.stringify(line)) : l));
    const messageLine = () => lines.findIndex((l) => l.startsWith('{"t":"messages"'));

    it('refuses bad files by line, and the database stays empty', async () => {
      expect(await refusal([])).toMatch(/empty/);
      expect(await refusal(['{"hello": 1}'])).toMatch(/line 1: not a Pneumatic export/);
      expect(await refusal(swap(0, { ...header(), schema: '0001-initial' }))).toMatch(/line 1: the export is of schema 0001-initial/);
      expect(await refusal(swap(0, { ...header(), version: 2 }))).toMatch(/line 1: export format version 2/);
      const m = messageLine();
      expect(await refusal(swap(m, lines[m]!.slice(0, 40)))).toMatch(new RegExp(`line ${m + 1}: not JSON`));
      expect(await refusal(swap(m, { t: 'kysely_migration', r: {} }))).toMatch(new RegExp(`line ${m + 1}: "kysely_migration" is not a table`));
      const row = JSON.parse(lines[m]!).r;
      expect(await refusal(swap(m, { t: 'messages', r: { ...row, colour: 'red' } }))).toMatch(new RegExp(`line ${m + 1}: messages has no column "colour"`));
      expect(await refusal(swap(m, { t: 'messages', r: { ...row, content: { nested: true } } }))).toMatch(/is not a plain value/);
      expect(await refusal(swap(m, { t: 'messages', r: { ...row, conversation_id: randomUUID() } }))).toMatch(dialect === 'sqlite' ? new RegExp(`^line ${m + 1}: messages refused a row`) : /^lines \d+–\d+: messages refused a row/);
      expect(await refusal(swap(m, { t: 'users', r: {} }))).toMatch(/users comes after tables that follow it/);
      // Cut off: without the last line, or a row short of the header's count.
      expect(await refusal(lines.slice(0, -1))).toMatch(/without its last line: it was cut off/);
      expect(await refusal([...lines.slice(0, m), ...lines.slice(m + 1, -1), JSON.stringify({ end: true, rows: JSON.parse(lines.at(-1)!).rows - 1 })])).toMatch(/messages: the header says 5 rows and the file holds 4/);
      expect(await refusal([...lines, '{"t":"users","r":{}}'])).toMatch(/more after the last line/);
      for (const table of ['users', 'sessions', 'conversations', 'members', 'messages', 'conversation_events'] as const) {
        expect(await empty.db.selectFrom(table).selectAll().execute()).toEqual([]);
      }
      // After all that, the good file goes in, once; then the database is not empty any more.
      expect(await refusal(lines)).toBe('imported');
      expect(await refusal(lines)).toMatch(/the database is not empty \(users holds rows\)/);
    });
  });
}

