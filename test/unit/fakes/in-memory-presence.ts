/** Presence's storage port in memory: common memberships from the member rows, last-seen times in a map of its own. */
import type { PresenceRepository } from '../../../src/domain/ports/presence.js';
import type { MemberRow, MemoryTables } from './memory-tables.js';

export class InMemoryPresenceRepository implements PresenceRepository {
  /** users.last_seen_at (epoch ms). */
  readonly lastSeenAt = new Map<string, number>();

  constructor(private readonly tables: MemoryTables) {}

  async sharingConversation(userId: string, otherIds: readonly string[]): Promise<Set<string>> {
    const mine = new Set(this.tables.members.filter((m) => m.user_id === userId).map((m) => m.conversation_id));
    const wanted = new Set(otherIds);
    return new Set(this.tables.members.filter((m: MemberRow) => mine.has(m.conversation_id) && wanted.has(m.user_id)).map((m) => m.user_id));
  }

  async lastSeen(userIds: readonly string[]): Promise<Map<string, number>> {
    return new Map(userIds.flatMap((id) => (this.lastSeenAt.has(id) ? [[id, this.lastSeenAt.get(id)!] as const] : [])));
  }

  async recordLastSeen(entries: ReadonlyMap<string, number>): Promise<void> {
    for (const [id, at] of entries) {
      if (!this.tables.users.has(id)) continue;
      this.lastSeenAt.set(id, Math.max(at, this.lastSeenAt.get(id) ?? at));
    }
  }
}
