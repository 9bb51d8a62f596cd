import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import { SEARCH_QUEUE_TABLE_SQL, searchQueueTriggersSql } from '../sqlite/search-queue.js';
import type { ColumnTypes } from './column-types.js';

/**
 * SQLite: sends queue their messages for the search indexes instead of writing FTS5 in their own
 * savepoint (src/store/sqlite/search-queue.ts says why). The messages already indexed stay so.
 * PostgreSQL: nothing; its indexes are kept in the send's transaction at a lower cost.
 */
export async function up(db: Kysely<unknown>, _types: ColumnTypes, dialect: Dialect): Promise<void> {
  if (dialect !== 'sqlite') return;
  await sql.raw(SEARCH_QUEUE_TABLE_SQL).execute(db);
  for (const statement of searchQueueTriggersSql()) await sql.raw(statement).execute(db);
}
