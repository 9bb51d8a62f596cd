/**
 * Who hears a user's presence frames: everyone sharing a conversation with them
 * (presence.policy.ts). Built from two caches, not one query a change: the user's
 * conversation ids (kept here, forgotten on their joins and leaves), and each conversation's
 * members (the store's membership cache, which sends already rely on). A room of 500 is then
 * one cached member list, shared by the 500 users whose audience it makes up, rather than 500
 * lists of 500.
 */
import type { DomainEvent } from '../domain/ports/events.js';
import type { ConversationRepository } from '../domain/ports/repositories.js';
import { presenceAudience } from '../domain/presence.policy.js';
import { BoundedMap } from '../store/cache/bounded-map.js';
import type { CacheLink, LinkedCache } from '../store/cache/cache-link.js';

const KEY_PREFIX = 'presence-conversations:';
/** Users whose conversation ids are kept. */
const CAPACITY = 20_000;
/** Member lists read at once for one audience. */
const LOOKUPS_IN_FLIGHT = 32;

export class PresenceAudience implements LinkedCache {
  private readonly conversationIds: BoundedMap<string, readonly string[]>;
  /** Bumped by every change, so a load that raced with one is not kept. */
  private changes = 0;

  constructor(
    private readonly conversations: ConversationRepository,
    /** With several processes: forgets what the others announce, and announces what changes here (see CacheLink). */
    private readonly link: CacheLink | null,
  ) {
    this.conversationIds = new BoundedMap(CAPACITY, link?.maxAgeMs);
    link?.register(this);
  }

  /** The user ids that hear `userId`'s presence. */
  async of(userId: string): Promise<string[]> {
    const ids = await this.conversationsOf(userId);
    const lists: string[][] = [];
    for (let i = 0; i < ids.length; i += LOOKUPS_IN_FLIGHT) {
      lists.push(...(await Promise.all(ids.slice(i, i + LOOKUPS_IN_FLIGHT).map((id) => this.conversations.memberIds(id)))));
    }
    return presenceAudience(userId, lists);
  }

  /** Forgets the conversation ids of users who joined or left one (a domain event of this process), here and on the other processes. */
  noteEvent(event: DomainEvent): void {
    let users: readonly string[];
    if (event.type === 'conversation.created') users = event.conversation.members.map((m) => m.user_id);
    else if (event.type === 'member.added' || event.type === 'member.removed') users = [event.user_id];
    else return;
    this.forget(users.map((id) => KEY_PREFIX + id));
    for (const id of users) this.link?.announce([KEY_PREFIX + id], id);
  }

  forget(keys: readonly string[]): void {
    for (const key of keys) {
      if (!key.startsWith(KEY_PREFIX)) continue;
      this.changes++;
      this.conversationIds.delete(key.slice(KEY_PREFIX.length));
    }
  }

  forgetAll(): void {
    this.changes++;
    this.conversationIds.clear();
  }

  private async conversationsOf(userId: string): Promise<readonly string[]> {
    const usable = this.link === null || this.link.usable();
    const cached = usable ? this.conversationIds.get(userId) : undefined;
    if (cached) return cached;
    const before = this.changes;
    const ids = (await this.conversations.lastEventSeqsForUser(userId)).map((p) => p.conversation_id);
    if (usable && before === this.changes) this.conversationIds.set(userId, ids);
    return ids;
  }
}
