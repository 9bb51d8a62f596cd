import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import { postgresSearchSchema } from '../postgres/search-schema.js';
import { sqliteSearchSchema } from '../sqlite/search-schema.js';
import type { ColumnTypes } from './column-types.js';

/**
 * Full-text search over messages (docs/API.md, "Search"; docs/architecture.md, "Search"): each
 * dialect's indexes, kept in the transaction of every send, edit and delete, and built over the
 * messages already stored without holding up sends for long.
 */
export async function up(db: Kysely<unknown>, _types: ColumnTypes, dialect: Dialect): Promise<void> {
  if (dialect === 'sqlite') await sqliteSearchSchema(db);
  else await postgresSearchSchema(db);
}
