/** The Store port in memory, for unit tests of the domain: no database, same rules as src/store. */
import type { Store } from '../../../src/domain/ports/repositories.js';
import { InMemorySessionRepository, InMemoryUserRepository } from './in-memory-accounts.js';
import { InMemoryChangeFeedRepository } from './in-memory-change-feed.js';
import { InMemoryConversationRepository } from './in-memory-conversations.js';
import { InMemoryMessageRepository } from './in-memory-messages.js';
import { InMemoryNotificationSettingsRepository } from './in-memory-notification-settings.js';
import { InMemoryPinRepository } from './in-memory-pins.js';
import { InMemoryPresenceRepository } from './in-memory-presence.js';
import { InMemoryProfileRepository } from './in-memory-profiles.js';
import { InMemoryReactionRepository } from './in-memory-reactions.js';
import { InMemorySearch } from './in-memory-search.js';
import { UnsupportedUploadRepository } from './unsupported-uploads.js';
import { UnsupportedPushQueueRepository, UnsupportedPushSubscriptionRepository } from './unsupported-push.js';
import { MemoryTables } from './memory-tables.js';
import { UnsupportedThreadRepository } from './unsupported-threads.js';
import { UnsupportedIncomingWebhookRepository } from './unsupported-incoming-webhooks.js';
import { unsupportedPort } from './unsupported-port.js';
import type { WebhookQueue, WebhookRepository } from '../../../src/domain/ports/webhook-repository.js';
import type { InviteRepository } from '../../../src/domain/ports/invite-repository.js';
import type { SsoRepository } from '../../../src/domain/ports/sso-repository.js';
import type { AdminRepository, AuditLogRepository } from '../../../src/domain/ports/admin-repository.js';
import type { BlockRepository } from '../../../src/domain/ports/block-repository.js';
import type { ReportRepository } from '../../../src/domain/ports/report-repository.js';
import type { MessageRemovalRepository } from '../../../src/domain/ports/message-removal-repository.js';
import type { SentMessagesRepository } from '../../../src/domain/ports/sent-messages-repository.js';
import type { JobLeaseRepository, RetentionRepository } from '../../../src/domain/ports/retention-repository.js';
import { InMemoryAuditLog, InMemoryBlockRepository } from './in-memory-blocks-and-audit.js';

export class InMemoryStore implements Store {
  /** The domain never branches on it; the fake keeps SQLite's single-writer ordering (no interleaving). */
  readonly dialect = 'sqlite' as const;
  /** The rows, for arranging a case or asserting what was stored. */
  readonly tables = new MemoryTables();
  readonly users = new InMemoryUserRepository(this.tables);
  readonly sessions = new InMemorySessionRepository(this.tables);
  readonly profiles = new InMemoryProfileRepository(this.tables);
  readonly conversations = new InMemoryConversationRepository(this.tables);
  readonly messages = new InMemoryMessageRepository(this.tables);
  readonly changeFeed = new InMemoryChangeFeedRepository(this.tables);
  readonly reactions = new InMemoryReactionRepository(this.tables);
  readonly pins = new InMemoryPinRepository(this.tables);
  readonly threads = new UnsupportedThreadRepository();
  readonly search = new InMemorySearch(this.tables);
  readonly uploads = new UnsupportedUploadRepository();
  readonly presence = new InMemoryPresenceRepository(this.tables);
  readonly notificationSettings = new InMemoryNotificationSettingsRepository(this.tables);
  readonly pushSubscriptions = new UnsupportedPushSubscriptionRepository();
  readonly pushQueue = new UnsupportedPushQueueRepository();
  readonly incomingWebhooks = new UnsupportedIncomingWebhookRepository();
  readonly webhooks = unsupportedPort<WebhookRepository>('outgoing webhooks');
  readonly webhookQueue = unsupportedPort<WebhookQueue>('the webhook queue');
  /** Sign-ups under REGISTRATION=open never touch it. */
  readonly invites = unsupportedPort<InviteRepository>('invite links');
  /** Single sign-on is tested against SQLite and PostgreSQL (test/http/sso.test.ts). */
  readonly sso = unsupportedPort<SsoRepository>('single sign-on');
  readonly admin = unsupportedPort<AdminRepository>('administration');
  readonly auditLog: AuditLogRepository = new InMemoryAuditLog();
  readonly blocks: BlockRepository = new InMemoryBlockRepository();
  readonly reports = unsupportedPort<ReportRepository>('reports');
  readonly messageRemovals = unsupportedPort<MessageRemovalRepository>('message removals');
  readonly sentMessages = unsupportedPort<SentMessagesRepository>('sent messages');
  /** Retention is tested against SQLite and PostgreSQL (test/retention/). */
  readonly retention = unsupportedPort<RetentionRepository>('retention');
  readonly jobLeases = unsupportedPort<JobLeaseRepository>('job leases');
  private closed = false;

  async ping(): Promise<void> {
    if (this.closed) throw new Error('store closed');
  }

  /** Memory never fills up or turns read-only. */
  async writeFailure(): Promise<string | null> {
    return null;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
