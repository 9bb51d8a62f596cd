import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import { SEARCH_QUEUE_TABLE_SQL, searchQueueTriggersSql } from '../sqlite/search-queue.js';
import type { ColumnTypes } from './column-types.js';

/**
 * The search indexes' cost on sends, cut (docs/architecture.md, "Search").
 *
 * SQLite: sends queue their messages for the search indexes instead of writing FTS5 in their own
 * savepoint (src/store/sqlite/search-queue.ts says why). The messages already indexed stay so.
 *
 * PostgreSQL: the index functions of a database that ran 0010 before they lost STRICT (it now
 * creates them without) lose it, so the planner inlines them in the index expressions instead of
 * planning their bodies again in every send statement (src/store/postgres/search-schema.ts).
 * Nothing else changes: content is NOT NULL, and the bodies give NULL for NULL anyway.
 */
export async function up(db: Kysely<unknown>, _types: ColumnTypes, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') {
    await sql`alter function pneumatic_fold(text) called on null input`.execute(db);
    await sql`alter function pneumatic_search_words(text) called on null input`.execute(db);
    return;
  }
  await sql.raw(SEARCH_QUEUE_TABLE_SQL).execute(db);
  for (const statement of searchQueueTriggersSql()) await sql.raw(statement).execute(db);
}
