/**
 * Builds the search indexes migration 0010 left to build (a table over
 * SEARCH_INDEX_INLINE_MAX_ROWS messages) with CREATE INDEX CONCURRENTLY: sends, edits and deletes
 * go on while it reads the table. That cannot run inside a transaction, so not in a migration:
 * every process runs this after migrating, on a connection of its own, and it does nothing once
 * both indexes exist and are valid. Until then search answers correctly, only slower.
 *
 * Processes starting together: the builder holds a session advisory lock, the others skip (the
 * lock's holder finishes for everyone). An INVALID index found under the lock was left by a
 * build that died (crash, cancel, lost connection): it is dropped and built again.
 */
import pg from 'pg';
import type { StorageHealthLog } from '../health/storage-health.js';
import { SEARCH_INDEXES } from './search-schema.js';

/** Arbitrary constant naming the search index build among PostgreSQL advisory locks. */
const SEARCH_INDEX_LOCK_KEY = 7_243_110_017;

export class PostgresSearchIndexBuild {
  private client: pg.Client | null = null;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly log: StorageHealthLog,
  ) {}

  /** Builds what is missing; resolves when done, skipped (another process builds) or failed (logged). */
  async run(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    this.client = client;
    client.on('error', () => {});
    try {
      await client.connect();
      if (this.closed) return;
      const pending = await this.pendingIndexes(client);
      if (pending.length === 0) return;
      const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [SEARCH_INDEX_LOCK_KEY]);
      if (!rows[0]?.locked) return;
      // The build reads the whole table: no statement timeout (the pool's does not apply here).
      await client.query('set statement_timeout = 0');
      for (const index of await this.pendingIndexes(client)) {
        if (this.closed) return;
        if (index.invalid) await client.query(`drop index concurrently if exists ${index.name}`);
        const started = Date.now();
        this.log.info({ index: index.name }, 'search: building an index concurrently (search works meanwhile, slower)');
        await client.query(`create index concurrently if not exists ${index.name} ${index.definition}`);
        this.log.info({ index: index.name, ms: Date.now() - started }, 'search: index built');
      }
    } catch (error) {
      if (!this.closed) this.log.error({ err: error }, 'search: building the search indexes failed; search works without them, slower, and the next start tries again');
    } finally {
      this.client = null;
      await client.end().catch(() => {});
    }
  }

  /** Stops a build in progress: its index is left INVALID and the next start builds it again. */
  async close(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => {});
  }

  private async pendingIndexes(client: pg.Client): Promise<{ name: string; definition: string; invalid: boolean }[]> {
    const { rows } = await client.query<{ name: string; valid: boolean }>(
      `select c.relname as name, i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid
        where i.indrelid = 'messages'::regclass and c.relname = any($1)`,
      [SEARCH_INDEXES.map((index) => index.name)],
    );
    const valid = new Map(rows.map((row) => [row.name, row.valid]));
    return SEARCH_INDEXES.filter((index) => valid.get(index.name) !== true).map((index) => ({ ...index, invalid: valid.get(index.name) === false }));
  }
}
