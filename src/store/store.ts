/** Builds the Store for DATABASE_URL: opens the database, applies migrations, wires repositories. */
import { KyselyIncomingWebhookRepository } from './repositories/incoming-webhook.repository.js';
import { KyselyWebhookQueue } from './webhooks/webhook-queue.repository.js';
import { KyselyWebhookRepository } from './webhooks/webhook.repository.js';
import { sql } from 'kysely';
import type { AppendResult, MessageAppender, NewMessage, Store } from '../domain/ports/repositories.js';
import { parseDatabaseUrl } from './database-url.js';
import { CachedConversationRepository } from './cache/cached-conversation.repository.js';
import { CachedSessionRepository } from './cache/cached-session.repository.js';
import type { CacheLink } from './cache/cache-link.js';
import { openDb, type DbOptions, type OpenedDb } from './db.js';
import { postgresAdvisor, sqliteAdvisor, type StorageAdvisor } from './health/storage-advice.js';
import { StorageHealth, type StorageHealthLog, type StorageOutcomes } from './health/storage-health.js';
import { postgresWriteProbe, sqliteWriteProbe } from './health/write-probes.js';
import { migrateToLatest } from './migrate.js';
import { KyselyChangeFeedRepository } from './change-feed/change-feed.repository.js';
import { KyselyConversationRepository } from './repositories/conversation.repository.js';
import { KyselyMessageRepository } from './repositories/message.repository.js';
import { KyselyNotificationSettingsRepository } from './repositories/notification-settings.repository.js';
import { KyselyPinRepository } from './repositories/pin.repository.js';
import { KyselyReactionRepository } from './repositories/reaction.repository.js';
import { KyselyThreadRepository } from './repositories/thread.repository.js';
import { PostgresGroupCommit } from './postgres/postgres-group-commit.js';
import { PostgresSearchIndexBuild } from './postgres/search-index-build.js';
import { storageFailureReason, type StorageFailureReason } from './sql-errors.js';
import { SqliteWriterThread } from './sqlite/sqlite-writer-thread.js';
import { PostgresSearchProvider } from './search/postgres-search.js';
import { SqliteSearchProvider } from './search/sqlite-search.js';
import { KyselySessionRepository } from './repositories/session.repository.js';
import { KyselyProfileRepository } from './profiles/profile.repository.js';
import { KyselyInviteRepository } from './invites/invite.repository.js';
import { KyselySsoRepository } from './sso/sso.repository.js';
import { KyselyUserRepository } from './repositories/user.repository.js';
import { KyselyUploadRepository } from './repositories/upload.repository.js';
import { KyselyPresenceRepository } from './repositories/presence.repository.js';
import { KyselyPushSubscriptionRepository } from './repositories/push-subscription.repository.js';
import { KyselyPushQueueRepository } from './push/push-queue.repository.js';
import { KyselyAdminRepository } from './admin/admin.repository.js';
import { KyselyAuditLogRepository } from './admin/audit-log.repository.js';
import { KyselyBlockRepository } from './blocks/block.repository.js';
import { KyselyReportRepository } from './admin/report.repository.js';
import { KyselyMessageRemovalRepository } from './admin/message-removal.repository.js';
import { KyselySentMessagesRepository } from './transfer/sent-messages.repository.js';
import { KyselyRetentionRepository } from './retention/retention.repository.js';
import { KyselyJobLeaseRepository } from './retention/job-lease.repository.js';

export interface SqlStore extends Store {
  readonly opened: OpenedDb;
}

/** Where storage failures are reported: one log line per episode, and a count by reason. */
export interface StorageHealthReporting {
  log: StorageHealthLog;
  countFailure(reason: StorageFailureReason): void;
}

export interface StoreOptions extends DbOptions {
  /**
   * Cache sessions and memberships in memory. Only when this process is the only one writing
   * them (no REDIS_URL): then every change passes through the cache and it is never stale.
   */
  cacheInProcess: boolean;
  /**
   * With several processes: cache sessions and memberships anyway, kept correct through this
   * link (the app connects it to the event bus; see CacheLink).
   */
  cacheLink?: CacheLink | null;
  health?: StorageHealthReporting;
  /** SQLite: how often the search queue is drained (sqlite/search-queue.ts); tests lengthen it to see the queue. */
  sqliteSearchDrainIntervalMs?: number;
}

const unreported: StorageHealthReporting = { log: { error: () => {}, info: () => {} }, countFailure: () => {} };

export async function openStore(databaseUrl: string, options: StoreOptions, migrate = true): Promise<SqlStore> {
  const target = parseDatabaseUrl(databaseUrl);
  const advise = target.dialect === 'sqlite' ? sqliteAdvisor(target.path) : postgresAdvisor(target.url);
  const health = new StorageHealth({ advise, ...(options.health ?? unreported) });
  const opened = openDb(target, options, health);
  const { db } = opened;
  const probe = target.dialect === 'sqlite' ? sqliteWriteProbe(db) : postgresWriteProbe(target.url, options);
  try {
    if (migrate) await migrateToLatest(db, opened.dialect);
    // A database that cannot take a write (a read-only file, a standby) is refused at start,
    // saying what to fix, rather than serving 503s to every write: SQLite opens a file it may
    // not write read-only without a word, and stays so until it is opened again.
    await probe.run();
  } catch (error) {
    await db.destroy();
    throw explainStartFailure(error, advise);
  }
  const link = options.cacheLink ?? null;
  const cache = <T, C extends T>(repository: T, Cached: new (inner: T, link: CacheLink | null) => C): T =>
    options.cacheInProcess || link ? new Cached(repository, options.cacheInProcess ? null : link) : repository;
  const writer =
    target.dialect === 'sqlite' ? new SqliteWriterThread(target.path, options.sqliteBusyTimeoutMs) : new PostgresGroupCommit(db, opened.pool!);
  const appender = trackAppends(writer, health);
  const conversations = cache(new KyselyConversationRepository(db, opened.dialect), CachedConversationRepository);
  const messages = new KyselyMessageRepository(db, appender, opened.dialect);
  const search = target.dialect === 'sqlite' ? new SqliteSearchProvider(target.path, db, { busyTimeoutMs: options.sqliteBusyTimeoutMs, drainIntervalMs: options.sqliteSearchDrainIntervalMs }) : new PostgresSearchProvider(db);
  if (search instanceof SqliteSearchProvider) {
    await search.ready.catch(async (error: unknown) => {
      await search.close();
      await writer.close();
      await db.destroy();
      throw error;
    });
  }
  // The search indexes migration 0010 left to build on a large table, built meanwhile without blocking writes.
  const indexBuild = target.dialect === 'postgres' && migrate ? new PostgresSearchIndexBuild(target.url, (options.health ?? unreported).log) : null;
  void indexBuild?.run();
  return {
    opened,
    dialect: opened.dialect,
    users: new KyselyUserRepository(db),
    profiles: new KyselyProfileRepository(db, opened.dialect),
    invites: new KyselyInviteRepository(db),
    sso: new KyselySsoRepository(db),
    sessions: cache(new KyselySessionRepository(db), CachedSessionRepository),
    admin: new KyselyAdminRepository(db, opened.dialect),
    auditLog: new KyselyAuditLogRepository(db),
    blocks: new KyselyBlockRepository(db),
    reports: new KyselyReportRepository(db),
    messageRemovals: new KyselyMessageRemovalRepository(db),
    sentMessages: new KyselySentMessagesRepository(db),
    retention: new KyselyRetentionRepository(db),
    jobLeases: new KyselyJobLeaseRepository(db),
    conversations,
    messages,
    changeFeed: new KyselyChangeFeedRepository(db, conversations, messages),
    reactions: new KyselyReactionRepository(db, writer instanceof SqliteWriterThread ? tracked((change) => writer.changeReaction(change), health) : null),
    pins: new KyselyPinRepository(db),
    threads: new KyselyThreadRepository(db, opened.dialect, writer instanceof SqliteWriterThread ? tracked((reply) => writer.appendReply(reply), health) : null),
    search,
    uploads: new KyselyUploadRepository(db),
    presence: new KyselyPresenceRepository(db, opened.dialect),
    notificationSettings: new KyselyNotificationSettingsRepository(db, opened.dialect),
    pushSubscriptions: new KyselyPushSubscriptionRepository(db, opened.dialect),
    pushQueue: new KyselyPushQueueRepository(db),
    incomingWebhooks: new KyselyIncomingWebhookRepository(db),
    webhooks: new KyselyWebhookRepository(db),
    webhookQueue: new KyselyWebhookQueue(db),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    writeFailure: () => health.check(probe),
    close: async () => {
      await search.close();
      await indexBuild?.close();
      await writer.close();
      await db.destroy();
    },
  };
}

/** Sends bypass Kysely (writer thread, named statements), so their outcomes are reported here. */
function trackAppends(appender: MessageAppender, outcomes: StorageOutcomes): MessageAppender {
  return { append: tracked((message: NewMessage): Promise<AppendResult> => appender.append(message), outcomes) };
}

function tracked<A, R>(write: (input: A) => Promise<R>, outcomes: StorageOutcomes): (input: A) => Promise<R> {
  return (input) =>
    write(input).then(
      (result) => {
        outcomes.succeeded();
        return result;
      },
      (error: unknown) => {
        outcomes.failed(error);
        throw error;
      },
    );
}

/** A storage failure at start becomes the advice for it, with the driver's error as the cause. */
function explainStartFailure(error: unknown, advise: StorageAdvisor): unknown {
  const reason = storageFailureReason(error);
  if (reason === null || reason === 'busy') return error;
  return new Error(advise(reason, error).message, { cause: error });
}
