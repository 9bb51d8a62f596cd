/**
 * `npm run import`: an export (transfer-tables.ts) into an empty database of either kind, in
 * one transaction. Every line is checked before it is written: JSON, a known table in the
 * export's order, known columns, plain values; the file must end with its trailer and hold as
 * many rows of each table as its header says. Anything else rolls everything back and says
 * which line, so a refused import leaves the database as empty as it was.
 */
import type { OpenedDb } from '../db.js';
import { schemaOf, type TransferProgress } from './export-database.js';
import { postgresTarget, RowsRefused, sqliteTarget } from './import-target.js';
import { EXPORT_FORMAT, TRANSFER_TABLES, type ExportHeader } from './transfer-tables.js';

export class ImportError extends Error {}

const ORDER = new Map(TRANSFER_TABLES.map((t, i) => [t.name, i]));
/** Written by the server itself at start (push keys, signing secrets): the export's replace them. */
const REPLACED = 'server_secrets';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkHeader(value: unknown, schema: string): ExportHeader {
  if (!isObject(value) || value.format !== EXPORT_FORMAT) throw new ImportError('line 1: not a Pneumatic export (no header line)');
  if (value.version !== 1) throw new ImportError(`line 1: export format version ${String(value.version)} is not one this server reads (1)`);
  if (value.schema !== schema) {
    throw new ImportError(`line 1: the export is of schema ${String(value.schema)} and this database is at ${schema}: run the same Pneumatic version on both sides`);
  }
  if (!isObject(value.counts)) throw new ImportError('line 1: the header has no row counts');
  return value as unknown as ExportHeader;
}

/**
 * `openLines` is called only when reading starts: a line reader made earlier could read the
 * whole file, and end, while the checks before it run, and its lines would be lost.
 */
export async function importDatabase(opened: OpenedDb, openLines: () => AsyncIterable<string>, progress: TransferProgress = () => {}): Promise<Record<string, number>> {
  const schema = await schemaOf(opened);
  const target = opened.sqlite ? sqliteTarget(opened.sqlite) : await postgresTarget(opened.pool!);
  const columns = new Map<string, ReadonlySet<string>>();
  for (const table of TRANSFER_TABLES) columns.set(table.name, await target.columns(table.name));
  let begun = false;
  try {
    for (const table of TRANSFER_TABLES) {
      if (table.name !== REPLACED && (await target.hasRows(table.name))) {
        throw new ImportError(`the database is not empty (${table.name} holds rows): import into a new, empty database`);
      }
    }
    await target.begin();
    begun = true;
    await target.run(`delete from ${REPLACED}`);
    const counts: Record<string, number> = {};
    let header: ExportHeader | null = null;
    let total = 0;
    let done = 0;
    let position = 0;
    let ended = false;
    let lineNumber = 0;
    for await (const text of openLines()) {
      lineNumber++;
      const at = `line ${lineNumber}`;
      if (text.trim() === '') continue;
      if (ended) throw new ImportError(`${at}: more after the last line`);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new ImportError(`${at}: not JSON (the file is damaged or cut off)`);
      }
      if (!header) {
        header = checkHeader(value, schema);
        total = Object.values(header.counts).reduce((a, b) => a + Number(b), 0);
        progress(0, total);
        continue;
      }
      if (!isObject(value)) throw new ImportError(`${at}: not an object`);
      if (value.end === true) {
        if (value.rows !== done) throw new ImportError(`${at}: the export says ${String(value.rows)} rows and holds ${done}`);
        ended = true;
        continue;
      }
      const row = value.r;
      const index = typeof value.t === 'string' ? ORDER.get(value.t) : undefined;
      if (index === undefined) throw new ImportError(`${at}: ${JSON.stringify(value.t)} is not a table an export holds`);
      const table = value.t as string;
      if (index < position) throw new ImportError(`${at}: ${table} comes after tables that follow it`);
      position = index;
      if (!isObject(row)) throw new ImportError(`${at}: the row is not an object`);
      const known = columns.get(table)!;
      for (const [key, cell] of Object.entries(row)) {
        if (!known.has(key)) throw new ImportError(`${at}: ${table} has no column ${JSON.stringify(key)}`);
        if (typeof cell === 'object' && cell !== null) throw new ImportError(`${at}: ${table}.${key} is not a plain value`);
      }
      await target.insert(table, row, lineNumber);
      counts[table] = (counts[table] ?? 0) + 1;
      if (++done % 500 === 0) progress(done, total);
    }
    if (!header) throw new ImportError('the file is empty');
    if (!ended) throw new ImportError(`the file ends at line ${lineNumber} without its last line: it was cut off`);
    for (const table of TRANSFER_TABLES) {
      const expected = Number(header.counts[table.name] ?? 0);
      if ((counts[table.name] ?? 0) !== expected) throw new ImportError(`${table.name}: the header says ${expected} rows and the file holds ${counts[table.name] ?? 0}`);
    }
    // Imported messages are history, not news: nothing is pushed for them.
    await target.run('delete from push_outbox');
    await target.commit();
    progress(done, total);
    return counts;
  } catch (error) {
    if (begun) await target.rollback();
    else await target.rollback().catch(() => {});
    throw error instanceof RowsRefused ? new ImportError(error.message) : error;
  }
}
