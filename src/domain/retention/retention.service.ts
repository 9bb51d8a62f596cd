/**
 * Retention settings (docs/API.md, "Retention"): an admin sets the server-wide period (audited),
 * a conversation's owners its own; the shorter applies. Deleting what is due is the job's
 * (src/retention/retention-job.ts), nudged here so a new, shorter period takes effect soon.
 */
import { SERVER_TARGET_ID, type Conversation, type RetentionSettings } from '@pneumatic/protocol';
import { nowIso } from '../clock.js';
import { requireMaySetRetention, requireMembership } from '../conversation.policy.js';
import { notFound } from '../errors.js';
import type { EventPublisher } from '../ports/events.js';
import type { Store } from '../ports/repositories.js';
import type { AdminActor, AdminService } from '../admin/admin.service.js';

export interface RetentionServiceDeps {
  store: Store;
  events: EventPublisher;
  admin: Pick<AdminService, 'requireAdmin' | 'record'>;
  /** Asks the retention job to run soon (this process's; the others run at their interval). */
  nudge: () => void;
}

export class RetentionService {
  constructor(private readonly deps: RetentionServiceDeps) {}

  async serverSettings(actor: AdminActor): Promise<RetentionSettings> {
    await this.deps.admin.requireAdmin(actor.principal);
    return { message_retention_days: await this.deps.store.retention.serverRetentionDays() };
  }

  /** Setting the same period again changes nothing and writes no audit entry. */
  async setServerSettings(actor: AdminActor, settings: RetentionSettings): Promise<RetentionSettings> {
    await this.deps.admin.requireAdmin(actor.principal);
    const days = settings.message_retention_days;
    const before = await this.deps.store.retention.setServerRetentionDays(days, nowIso());
    if (before !== days) {
      await this.deps.admin.record(actor, {
        action: 'retention.changed',
        target_type: 'server',
        target_id: SERVER_TARGET_ID,
        before: { message_retention_days: before },
        after: { message_retention_days: days },
      });
      this.deps.nudge();
    }
    return { message_retention_days: days };
  }

  /** Owners only; announced as conversation.updated when it changed. */
  async setConversationRetention(callerId: string, conversationId: string, days: number | null): Promise<Conversation> {
    requireMaySetRetention(await requireMembership(this.deps.store, conversationId, callerId, true));
    const result = await this.deps.store.retention.setConversationRetention(conversationId, days, callerId, nowIso());
    const conversation = await this.deps.store.conversations.findById(conversationId);
    if (!result || !conversation) throw notFound('Conversation');
    if (result.event_seq !== null) {
      const member_ids = conversation.members.map((m) => m.user_id);
      this.deps.events.publish({ type: 'conversation.updated', conversation, event_seq: result.event_seq, member_ids });
      this.deps.nudge();
    }
    return conversation;
  }
}
