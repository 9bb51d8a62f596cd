/**
 * `npm run export -- FILE` and `npm run import -- FILE` (README.md, "Moving a server:
 * export and import"): the whole server to a JSON lines file and back, into an empty database of either
 * kind, with a progress bar on the terminal and a summary of what moved. The database is
 * DATABASE_URL's, as for the server.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { createInterface } from 'node:readline';
import cliProgress from 'cli-progress';
import { ConfigError, loadConfig } from '../config/config.js';
import { parseDatabaseUrl } from '../store/database-url.js';
import { openDb, type OpenedDb } from '../store/db.js';
import { migrateToLatest } from '../store/migrate.js';
import { exportDatabase } from '../store/transfer/export-database.js';
import { importDatabase, ImportError } from '../store/transfer/import-database.js';

const USAGE = 'usage: npm run export -- FILE | npm run import -- FILE';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function progressBar(verb: string): { update: (done: number, total: number) => void; stop: () => void } {
  const bar = new cliProgress.SingleBar(
    { format: `${verb} [{bar}] {percentage}% | {value}/{total} rows | {duration_formatted}`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) bar.start(total, done);
      else bar.update(done);
      started = true;
    },
    stop: () => bar.stop(),
  };
}

function summary(verb: string, counts: Record<string, number>, seconds: number): string {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const lines = Object.entries(counts).filter(([, n]) => n > 0).map(([table, n]) => `  ${table.padEnd(28)} ${n.toLocaleString('en')}`);
  return `${verb} ${total.toLocaleString('en')} rows in ${seconds.toFixed(1)} s:\n${lines.join('\n')}\n`;
}

const [mode, file] = [process.argv[2], process.argv[3]];
if ((mode !== 'export' && mode !== 'import') || !file) fail(USAGE);

let opened: OpenedDb | null = null;
try {
  const config = loadConfig();
  const target = parseDatabaseUrl(config.DATABASE_URL);
  opened = openDb(target, {
    poolMax: 2,
    statementTimeoutMs: 86_400_000,
    connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
    sqliteBusyTimeoutMs: config.SQLITE_BUSY_TIMEOUT_MS,
  });
  const started = performance.now();
  if (mode === 'export') {
    // wx: never overwrite an earlier export by mistake.
    const out = createWriteStream(file, { flags: 'wx' });
    const bar = progressBar('exporting');
    const counts = await exportDatabase(opened, target.dialect === 'postgres' ? target.url : null, out, bar.update);
    bar.stop();
    out.end();
    await finished(out);
    process.stdout.write(summary(`exported to ${file}:`, counts, (performance.now() - started) / 1000));
  } else {
    // A new database gets its schema first; the export must be of the same schema.
    await migrateToLatest(opened.db, opened.dialect);
    const lines = () => createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    const bar = progressBar('importing');
    try {
      const counts = await importDatabase(opened, lines, bar.update);
      bar.stop();
      process.stdout.write(summary(`imported from ${file}:`, counts, (performance.now() - started) / 1000));
    } catch (error) {
      bar.stop();
      throw error;
    }
  }
} catch (error) {
  if (error instanceof ConfigError || error instanceof ImportError) fail(`${mode} failed: ${error.message}`);
  fail(`${mode} failed: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await opened?.db.destroy();
}
