/**
 * Reads every exported table from one consistent snapshot, row by row, so a database of any size
 * streams through in constant memory: SQLite in one read transaction (WAL keeps it consistent
 * while a server writes), PostgreSQL in one REPEATABLE READ, READ ONLY transaction through a
 * cursor.
 */
import Cursor from 'pg-cursor';
import pg from 'pg';
import type SQLite from 'better-sqlite3';
import { TRANSFER_TABLES, type TransferTable } from './transfer-tables.js';

export type Row = Record<string, unknown>;

export interface ExportSource {
  counts(): Promise<Record<string, number>>;
  rows(table: TransferTable): AsyncIterable<Row>;
  close(): Promise<void>;
}

const BATCH = 1000;

/** Values as JSON holds them the same from either database: times as ISO 8601 text, bigints as numbers. */
function plain(row: Row, bigints: ReadonlySet<string>): Row {
  for (const [key, value] of Object.entries(row)) {
    if (value instanceof Date) row[key] = value.toISOString();
    else if (typeof value === 'string' && bigints.has(key)) row[key] = Number(value);
    else if (Buffer.isBuffer(value)) throw new Error(`column ${key} holds bytes, which an export does not carry`);
  }
  return row;
}

export function sqliteSource(db: SQLite.Database): ExportSource {
  db.prepare('begin').run();
  // The snapshot starts at the first read, here: the counts and the rows are of the same moment.
  return {
    async counts() {
      return Object.fromEntries(TRANSFER_TABLES.map((t) => [t.name, Number((db.prepare(`select count(*) as n from ${t.name}`).get() as { n: number }).n)]));
    },
    async *rows(table) {
      const none = new Set<string>();
      let batch = 0;
      for (const row of db.prepare(`select * from ${table.name} order by ${table.orderBy}`).iterate() as IterableIterator<Row>) {
        yield plain(row, none);
        // Let the event loop through now and then: progress is drawn and the output drained.
        if (++batch % BATCH === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    },
    async close() {
      db.prepare('rollback').run();
    },
  };
}

/**
 * A connection of its own, not one of the pool's: the pool's query timeout arms a timer for each
 * query, and a cursor's reads never disarm it, so the process would not end.
 */
export async function postgresSource(url: string): Promise<ExportSource> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('begin isolation level repeatable read read only');
  const bigintColumns = await client.query<{ table_name: string; column_name: string }>(
    "select table_name, column_name from information_schema.columns where table_schema = current_schema() and data_type = 'bigint'",
  );
  const bigints = (table: string) => new Set(bigintColumns.rows.filter((r) => r.table_name === table).map((r) => r.column_name));
  return {
    async counts() {
      const counts: Record<string, number> = {};
      for (const t of TRANSFER_TABLES) counts[t.name] = Number((await client.query<{ n: string }>(`select count(*) as n from ${t.name}`)).rows[0]!.n);
      return counts;
    },
    async *rows(table) {
      const columns = bigints(table.name);
      const cursor = client.query(new Cursor<Row>(`select * from ${table.name} order by ${table.orderBy}`));
      try {
        for (;;) {
          const rows = await cursor.read(BATCH);
          if (rows.length === 0) break;
          for (const row of rows) yield plain(row, columns);
        }
      } finally {
        await cursor.close();
      }
    },
    async close() {
      try {
        await client.query('rollback');
      } finally {
        await client.end();
      }
    },
  };
}
