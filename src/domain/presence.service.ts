/** Presence as clients ask for it (docs/API.md, "Presence"): `GET /presence`, and the `viewing` a device reports. */
import { requireMembership } from './conversation.policy.js';
import { lastSeenAt } from './presence.js';
import { visiblePresence } from './presence.policy.js';
import type { PresenceDirectory, PresenceReader, PresenceView } from './ports/presence.js';
import type { Store } from './ports/repositories.js';

export interface PresenceServiceDeps {
  store: Store;
  directory: Pick<PresenceDirectory, 'read'>;
}

export class PresenceService implements PresenceReader {
  constructor(private readonly deps: PresenceServiceDeps) {}

  /**
   * The presence of those of `userIds` the caller may see (the caller, and users sharing a
   * conversation with them), in the order asked. Others, unknown ids included, are left out.
   */
  async list(callerId: string, userIds: readonly string[]): Promise<Array<{ user_id: string } & PresenceView>> {
    const others = [...new Set(userIds)].filter((id) => id !== callerId);
    const sharing = others.length === 0 ? new Set<string>() : await this.deps.store.presence.sharingConversation(callerId, others);
    const visible = visiblePresence(callerId, userIds, sharing);
    const views = await this.statusOf(visible);
    return visible.map((id) => ({ user_id: id, ...views.get(id)! }));
  }

  async statusOf(userIds: readonly string[]): Promise<Map<string, PresenceView>> {
    const views = new Map<string, PresenceView>();
    if (userIds.length === 0) return views;
    const live = await this.deps.directory.read(userIds);
    // The database's last_seen_at matters only for users not here now.
    const absent = userIds.filter((id) => (live.get(id)?.status ?? 'offline') === 'offline');
    const stored = absent.length === 0 ? new Map<string, number>() : await this.deps.store.presence.lastSeen(absent);
    const now = Date.now();
    for (const id of userIds) {
      const { status, seenAt } = live.get(id) ?? { status: 'offline' as const, seenAt: null };
      const at = lastSeenAt(status, seenAt, stored.get(id) ?? null, now);
      views.set(id, { status, last_seen_at: at === null ? null : new Date(at).toISOString() });
    }
    return views;
  }

  /** A device may report only a conversation its user is a member of (404 / 403 not_member otherwise). */
  async checkViewing(callerId: string, conversationId: string): Promise<void> {
    await requireMembership(this.deps.store, conversationId, callerId);
  }
}
