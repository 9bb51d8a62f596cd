/** Builds the Store for DATABASE_URL: opens the database, applies migrations, wires repositories. */
import { sql } from 'kysely';
import type { MessageAppender, Store } from '../domain/ports/repositories.js';
import { parseDatabaseUrl } from './database-url.js';
import { CachedConversationRepository } from './cache/cached-conversation.repository.js';
import { CachedSessionRepository } from './cache/cached-session.repository.js';
import { openDb, type DbOptions, type OpenedDb } from './db.js';
import { migrateToLatest } from './migrate.js';
import { KyselyConversationRepository } from './repositories/conversation.repository.js';
import { KyselyMessageRepository } from './repositories/message.repository.js';
import { PostgresAppend } from './postgres/postgres-append.js';
import { SqliteWriterThread } from './sqlite/sqlite-writer-thread.js';
import { KyselySessionRepository } from './repositories/session.repository.js';
import { KyselyUserRepository } from './repositories/user.repository.js';

export interface SqlStore extends Store {
  readonly opened: OpenedDb;
}

export interface StoreOptions extends DbOptions {
  /**
   * Cache sessions and memberships in memory. Only when this process is the only one writing
   * them (no REDIS_URL): then every change passes through the cache and it is never stale.
   */
  cacheInProcess: boolean;
}

export async function openStore(databaseUrl: string, options: StoreOptions, migrate = true): Promise<SqlStore> {
  const target = parseDatabaseUrl(databaseUrl);
  const opened = openDb(target, options);
  const { db } = opened;
  try {
    if (migrate) await migrateToLatest(db, opened.dialect);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const cache = <T, C extends T>(repository: T, Cached: new (inner: T) => C): T =>
    options.cacheInProcess ? new Cached(repository) : repository;
  const writer = target.dialect === 'sqlite' ? new SqliteWriterThread(target.path, options.sqliteBusyTimeoutMs) : null;
  const appender: MessageAppender = writer ?? new PostgresAppend(db, opened.pool!);
  return {
    opened,
    dialect: opened.dialect,
    users: new KyselyUserRepository(db),
    sessions: cache(new KyselySessionRepository(db), CachedSessionRepository),
    conversations: cache(new KyselyConversationRepository(db), CachedConversationRepository),
    messages: new KyselyMessageRepository(db, appender),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: async () => {
      await writer?.close();
      await db.destroy();
    },
  };
}
