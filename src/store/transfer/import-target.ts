/**
 * Where `npm run import` writes: one transaction on the target database, so a file that turns
 * out bad halfway leaves nothing behind. SQLite takes prepared inserts row by row (in-process,
 * fast); PostgreSQL takes multi-row inserts of up to 500 rows.
 */
import type pg from 'pg';
import type SQLite from 'better-sqlite3';
import type { Row } from './export-source.js';

/** A row the database refused, with the file's lines it came from (a batch's, on PostgreSQL). */
export class RowsRefused extends Error {}

function refused(table: string, first: number, last: number, error: unknown): RowsRefused {
  const lines = first === last ? `line ${first}` : `lines ${first}–${last}`;
  return new RowsRefused(`${lines}: ${table} refused a row: ${error instanceof Error ? error.message : String(error)}`);
}

export interface ImportTarget {
  /** Each table's columns, for checking rows before they are written. */
  columns(table: string): Promise<ReadonlySet<string>>;
  /** Whether the table holds any row. */
  hasRows(table: string): Promise<boolean>;
  begin(): Promise<void>;
  /** Throws RowsRefused, now or at a later call (PostgreSQL writes in batches). */
  insert(table: string, row: Row, line: number): Promise<void>;
  /** A statement inside the transaction (clearing a table, after the rows). */
  run(statement: string): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export function sqliteTarget(db: SQLite.Database): ImportTarget {
  const statements = new Map<string, SQLite.Statement>();
  return {
    async columns(table) {
      return new Set((db.pragma(`table_info(${quote(table)})`) as { name: string }[]).map((c) => c.name));
    },
    async hasRows(table) {
      return db.prepare(`select 1 from ${quote(table)} limit 1`).get() !== undefined;
    },
    async begin() {
      db.prepare('begin immediate').run();
    },
    async insert(table, row, line) {
      const keys = Object.keys(row);
      const key = `${table}(${keys.join(',')})`;
      let statement = statements.get(key);
      if (!statement) {
        statement = db.prepare(`insert into ${quote(table)} (${keys.map(quote).join(', ')}) values (${keys.map(() => '?').join(', ')})`);
        statements.set(key, statement);
      }
      try {
        statement.run(...keys.map((k) => row[k]));
      } catch (error) {
        throw refused(table, line, line, error);
      }
    },
    async run(statement) {
      db.prepare(statement).run();
    },
    async commit() {
      db.prepare('commit').run();
    },
    async rollback() {
      if (db.inTransaction) db.prepare('rollback').run();
    },
  };
}

const PG_BATCH = 500;

export async function postgresTarget(pool: pg.Pool): Promise<ImportTarget> {
  const client = await pool.connect();
  let released = false;
  const release = () => {
    if (!released) client.release();
    released = true;
  };
  let pending: { table: string; keys: string[]; rows: Row[]; first: number; last: number } | null = null;
  const flush = async () => {
    if (!pending || pending.rows.length === 0) return;
    const { table, keys, rows, first, last } = pending;
    pending = null;
    const values: unknown[] = [];
    const tuples = rows.map((row) => `(${keys.map((k) => `$${values.push(row[k])}`).join(', ')})`);
    try {
      await client.query(`insert into ${quote(table)} (${keys.map(quote).join(', ')}) values ${tuples.join(', ')}`, values);
    } catch (error) {
      throw refused(table, first, last, error);
    }
  };
  return {
    async columns(table) {
      const result = await client.query<{ column_name: string }>('select column_name from information_schema.columns where table_schema = current_schema() and table_name = $1', [table]);
      return new Set(result.rows.map((r) => r.column_name));
    },
    async hasRows(table) {
      return (await client.query(`select 1 from ${quote(table)} limit 1`)).rowCount! > 0;
    },
    async begin() {
      await client.query('begin');
    },
    async insert(table, row, line) {
      const keys = Object.keys(row);
      if (pending && (pending.table !== table || pending.keys.join() !== keys.join() || pending.rows.length >= PG_BATCH)) await flush();
      pending ??= { table, keys, rows: [], first: line, last: line };
      pending.rows.push(row);
      pending.last = line;
    },
    async run(statement) {
      await flush();
      await client.query(statement);
    },
    async commit() {
      await flush();
      await client.query('commit');
      release();
    },
    async rollback() {
      pending = null;
      if (released) return;
      try {
        await client.query('rollback');
      } finally {
        release();
      }
    },
  };
}
