/**
 * `npm run export`: the whole server as JSON lines (src/store/transfer/transfer-tables.ts has
 * the format): a header with the schema and the row counts, one line per row, and a trailer.
 * Written as it is read, with the output's backpressure respected, so memory stays flat.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { sql } from 'kysely';
import type { OpenedDb } from '../db.js';
import { postgresSource, sqliteSource, type ExportSource } from './export-source.js';
import { EXPORT_FORMAT, TRANSFER_TABLES, type ExportHeader } from './transfer-tables.js';

export interface TransferProgress {
  (done: number, total: number): void;
}

/** The database's schema: the name of its last migration. */
export async function schemaOf(opened: OpenedDb): Promise<string> {
  const row = (await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`.execute(opened.db)).rows[0];
  if (!row) throw new Error('this database has no schema yet: start the server on it once, or import into it');
  return row.name;
}

/** `postgresUrl`: the database's URL when it is PostgreSQL (export-source.ts reads through a connection of its own). */
export async function exportDatabase(opened: OpenedDb, postgresUrl: string | null, out: Writable, progress: TransferProgress = () => {}): Promise<Record<string, number>> {
  const schema = await schemaOf(opened);
  if (!opened.sqlite && !postgresUrl) throw new Error('exporting from PostgreSQL needs its URL');
  const source: ExportSource = opened.sqlite ? sqliteSource(opened.sqlite) : await postgresSource(postgresUrl!);
  const write = async (value: unknown) => {
    if (!out.write(`${JSON.stringify(value)}\n`)) await once(out, 'drain');
  };
  try {
    const counts = await source.counts();
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const header: ExportHeader = { format: EXPORT_FORMAT, version: 1, schema, source: opened.dialect, created_at: new Date().toISOString(), counts };
    await write(header);
    let done = 0;
    progress(0, total);
    for (const table of TRANSFER_TABLES) {
      for await (const row of source.rows(table)) {
        await write({ t: table.name, r: row });
        if (++done % 500 === 0) progress(done, total);
      }
    }
    progress(done, total);
    await write({ end: true, rows: done });
    return counts;
  } finally {
    await source.close();
  }
}
