import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import { postgresSearchSchema } from '../postgres/search-schema.js';
import type { ColumnTypes } from './column-types.js';

/**
 * Search (docs/API.md, "Search"; docs/architecture.md, "Search"): the indexes each database
 * answers queries from, kept in the writing transaction. Each dialect's schema is in a file of
 * its own: src/store/sqlite/search-schema.ts and src/store/postgres/search-schema.ts.
 */
export async function up(db: Kysely<unknown>, _types: ColumnTypes, dialect: Dialect): Promise<void> {
  // The SQLite schema lands with the SQLite provider (branch searchsqlite).
  if (dialect === 'sqlite') return;
  await postgresSearchSchema(db);
}
