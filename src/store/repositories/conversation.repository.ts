import { sql, type Kysely, type Transaction } from 'kysely';
import type {
  ConversationPage,
  ConversationRepository,
  CreatedConversation,
  MemberAddition,
  MemberRemoval,
  MemberRoleChange,
  Membership,
} from '../../domain/ports/repositories.js';
import { AppError } from '../../domain/errors.js';
import { bumpUserSeqs, changeOrNothing, logEvent, nextEventSeq, NothingChanged } from '../change-feed/event-log.js';
import type { Conversation, ConversationSummary, Member, MemberRole, Message } from '@pneumatic/protocol';
import { setMemberRole } from './member-roles.js';
import { decodeCursor, encodeCursor, minuteOf } from '../conversation-cursor.js';
import { toIso, toMessage } from '../rows.js';
import { reactionsOf } from './reaction-reads.js';
import type { Dialect } from '../dialect.js';
import type { Database } from '../schema.js';
import { membersOf, toConversation } from './conversation-rows.js';
import { unreadMentionCounts } from './mention-marks.repository.js';
import { UNREAD_COUNT_CAP, unreadCounts } from './unread-counts.js';

export class KyselyConversationRepository implements ConversationRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async create(input: { id: string; title: string; created_by: string; created_at: string; member_ids: readonly string[] }): Promise<CreatedConversation> {
    const members = [
      { user_id: input.created_by, role: 'owner' as const },
      ...input.member_ids.map((user_id) => ({ user_id, role: 'member' as const })),
    ];
    const user_seqs = await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('conversations')
        .values({
          id: input.id,
          title: input.title,
          created_by: input.created_by,
          created_at: input.created_at,
          last_activity_at: input.created_at,
          last_event_seq: 1,
        })
        .execute();
      // Chunked: SQLite caps bound parameters per statement.
      for (let i = 0; i < members.length; i += 200) {
        await trx
          .insertInto('members')
          .values(members.slice(i, i + 200).map((m) => ({ ...m, conversation_id: input.id, joined_at: input.created_at, activity_minute: minuteOf(input.created_at) })))
          .execute();
      }
      await logEvent(trx, { conversation_id: input.id, event_seq: 1, type: 'conversation.created', actor_id: input.created_by, created_at: input.created_at });
      return bumpUserSeqs(trx, members.map((m) => m.user_id), this.dialect);
    });
    const conversation = await this.findById(input.id);
    if (!conversation) throw new Error('conversation vanished right after creation');
    return { conversation, user_seqs };
  }

  async findById(id: string): Promise<Conversation | null> {
    const row = await this.db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return null;
    const members = await this.membersOf([id]);
    return toConversation(row, members.get(id) ?? []);
  }

  async exists(id: string): Promise<boolean> {
    return (await this.db.selectFrom('conversations').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  }

  async lastSeq(id: string): Promise<number | null> {
    const row = await this.db.selectFrom('conversations').select('last_seq').where('id', '=', id).executeTakeFirst();
    return row ? Number(row.last_seq) : null;
  }

  async membership(conversationId: string, userId: string): Promise<Membership | null> {
    const row = await this.db
      .selectFrom('members')
      .select('role')
      .where('conversation_id', '=', conversationId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row ? { role: row.role } : null;
  }

  async memberIds(conversationId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('members').select('user_id').where('conversation_id', '=', conversationId).execute();
    return rows.map((r) => r.user_id);
  }

  async addMember(conversationId: string, userId: string, joinedAt: string, actorId: string): Promise<MemberAddition> {
    const added = await changeOrNothing(this.db, async (trx) => {
      // The counter row first: every change locks conversation, then member, then user rows.
      const eventSeq = await nextEventSeq(trx, conversationId);
      if (eventSeq === null) throw new NothingChanged();
      const inserted = await trx
        .insertInto('members')
        .values({ conversation_id: conversationId, user_id: userId, role: 'member', joined_at: joinedAt })
        .onConflict((oc) => oc.columns(['conversation_id', 'user_id']).doNothing())
        .returning('user_id')
        .executeTakeFirst();
      if (!inserted) throw new NothingChanged();
      await logEvent(trx, { conversation_id: conversationId, event_seq: eventSeq, type: 'member.added', actor_id: actorId, user_id: userId, created_at: joinedAt });
      const userSeqs = await bumpUserSeqs(trx, [userId], this.dialect);
      // Read inside the transaction: a removal committed right after must not make this fail.
      const member = (await membersOf(trx, [conversationId], userId)).get(conversationId)?.[0];
      if (!member) throw new Error('member vanished inside its own transaction');
      return { member, event_seq: eventSeq, user_seq: userSeqs[userId] ?? 0 };
    });
    const conversation = await this.findById(conversationId);
    if (added) {
      if (!conversation) throw new Error('conversation vanished right after a member was added');
      return { added: true, conversation, ...added };
    }
    const member = conversation?.members.find((m) => m.user_id === userId);
    // Already a member a moment ago and removed since: as if added again, which is not this call's to do.
    if (!member) throw new AppError('not_found', 'The member was removed while being added; try again.');
    return { added: false, member };
  }

  async removeMember(conversationId: string, userId: string, actorId: string, at: string): Promise<MemberRemoval | null> {
    return changeOrNothing(this.db, async (trx) => {
      const eventSeq = await nextEventSeq(trx, conversationId);
      if (eventSeq === null) throw new NothingChanged();
      const removed = await trx
        .deleteFrom('members')
        .where('conversation_id', '=', conversationId)
        .where('user_id', '=', userId)
        .returning('user_id')
        .executeTakeFirst();
      if (!removed) throw new NothingChanged();
      await logEvent(trx, { conversation_id: conversationId, event_seq: eventSeq, type: 'member.removed', actor_id: actorId, user_id: userId, created_at: at });
      const promotion = await promoteOwnerIfNone(trx, conversationId);
      let promoted: MemberRemoval['promoted'] = null;
      if (promotion !== null) {
        const promotedId = promotion.user_id;
        const promotionSeq = await nextEventSeq(trx, conversationId);
        if (promotionSeq === null) throw new Error('conversation vanished during a removal');
        await logEvent(trx, { conversation_id: conversationId, event_seq: promotionSeq, type: 'member.updated', actor_id: null, user_id: promotedId, created_at: at });
        const member = (await membersOf(trx, [conversationId], promotedId)).get(conversationId)?.[0];
        if (!member) throw new Error('promoted member vanished');
        promoted = { member, event_seq: promotionSeq, before: promotion.role };
      }
      const userSeqs = await bumpUserSeqs(trx, [userId], this.dialect);
      // A membership's notification override goes with it; after the user_seq, whose lock a
      // settings change holds (notification-settings.repository.ts), so this sees what it wrote.
      await trx.deleteFrom('conversation_notifications').where('conversation_id', '=', conversationId).where('user_id', '=', userId).execute();
      return { event_seq: eventSeq, user_seq: userSeqs[userId] ?? 0, promoted };
    });
  }

  setRole(conversationId: string, userId: string, role: MemberRole, actorId: string, at: string): Promise<MemberRoleChange> {
    return setMemberRole(this.db, conversationId, userId, role, actorId, at);
  }

  async rename(conversationId: string, title: string, actorId: string, at: string): Promise<{ conversation: Conversation; event_seq: number | null } | null> {
    const eventSeq = await changeOrNothing(this.db, async (trx) => {
      const row = await trx
        .updateTable('conversations')
        .set((eb) => ({ title, last_event_seq: eb('last_event_seq', '+', 1) }))
        .where('id', '=', conversationId)
        .where('title', '<>', title)
        .returning('last_event_seq')
        .executeTakeFirst();
      if (!row) throw new NothingChanged();
      const seq = Number(row.last_event_seq);
      await logEvent(trx, { conversation_id: conversationId, event_seq: seq, type: 'conversation.updated', actor_id: actorId, created_at: at });
      return seq;
    });
    const conversation = await this.findById(conversationId);
    return conversation ? { conversation, event_seq: eventSeq } : null;
  }

  async lastEventSeqsForUser(userId: string): Promise<{ conversation_id: string; last_event_seq: number }[]> {
    const rows = await this.db
      .selectFrom('members as m')
      .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
      .select(['c.id', 'c.last_event_seq'])
      .where('m.user_id', '=', userId)
      .execute();
    return rows.map((r) => ({ conversation_id: r.id, last_event_seq: Number(r.last_event_seq) }));
  }

  async listForUser(userId: string, limit: number, cursor: string | undefined): Promise<ConversationPage> {
    // Served by members (user_id, activity_minute desc): the minute orders the index, and only
    // the conversations within one minute are sorted by their exact time (migration 0003).
    let query = this.db
      .selectFrom('members as me')
      .innerJoin('conversations as c', 'c.id', 'me.conversation_id')
      .select(['c.id', 'c.title', 'c.created_by', 'c.created_at', 'c.last_seq', 'c.last_activity_at', 'c.last_event_seq', 'c.retention_days', 'c.expired_through_seq', 'me.last_read_seq'])
      .where('me.user_id', '=', userId);
    if (cursor !== undefined) {
      const { activity, id } = decodeCursor(cursor);
      // The minute bound is implied by the exact one; it is what lets the index skip earlier pages.
      query = query
        .where('me.activity_minute', '<=', minuteOf(activity))
        .where((eb) => eb.or([eb('c.last_activity_at', '<', activity), eb.and([eb('c.last_activity_at', '=', activity), eb('c.id', '<', id)])]));
    }
    const rows = await query
      .orderBy('me.activity_minute', 'desc')
      .orderBy('c.last_activity_at', 'desc')
      .orderBy('c.id', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const ids = page.map((r) => r.id);
    const [members, lastMessages, unread, mentions] = await Promise.all([
      this.membersOf(ids),
      this.lastMessages(page),
      unreadCounts(this.db, userId, page),
      unreadMentionCounts(this.db, userId, page, UNREAD_COUNT_CAP),
    ]);
    const conversations: ConversationSummary[] = page.map((row) => ({
      ...toConversation(row, members.get(row.id) ?? []),
      last_message: lastMessages.get(row.id) ?? null,
      unread_count: unread.get(row.id)?.count ?? 0,
      ...(unread.get(row.id)?.capped ? { unread_count_capped: true } : {}),
      unread_mentions: mentions.get(row.id) ?? 0,
    }));
    const last = page.at(-1);
    const next_cursor = rows.length > limit && last ? encodeCursor({ activity: toIso(last.last_activity_at), id: last.id }) : null;
    return { conversations, next_cursor };
  }

  async advanceReadSeq(conversationId: string, userId: string, seq: number): Promise<{ seq: number; user_seq: number } | null> {
    const lastSeq = await this.lastSeq(conversationId);
    const target = Math.min(seq, lastSeq ?? 0);
    return changeOrNothing(this.db, async (trx) => {
      // The `<` guard makes the move atomic and forward-only under racing readers.
      const row = await trx
        .updateTable('members')
        .set({ last_read_seq: target })
        .where('conversation_id', '=', conversationId)
        .where('user_id', '=', userId)
        .where('last_read_seq', '<', target)
        .returning('last_read_seq')
        .executeTakeFirst();
      if (!row) throw new NothingChanged();
      const userSeqs = await bumpUserSeqs(trx, [userId], this.dialect);
      return { seq: Number(row.last_read_seq), user_seq: userSeqs[userId] ?? 0 };
    });
  }

  private membersOf(conversationIds: readonly string[], onlyUserId?: string): Promise<Map<string, Member[]>> {
    return membersOf(this.db, conversationIds, onlyUserId);
  }

  private async lastMessages(rows: readonly { id: string; last_seq: number }[]): Promise<Map<string, Message>> {
    const withMessages = rows.filter((r) => Number(r.last_seq) > 0);
    if (withMessages.length === 0) return new Map();
    const found = await this.db
      .selectFrom('messages')
      .selectAll()
      .where((eb) => eb.or(withMessages.map((r) => eb.and([eb('conversation_id', '=', r.id), eb('seq', '=', Number(r.last_seq))]))))
      .execute();
    const reactions = await reactionsOf(this.db, found.map((row) => row.message_id));
    return new Map(found.map((row) => [row.conversation_id, toMessage(row, reactions.get(row.message_id))]));
  }
}

/**
 * Makes a successor owner when no owner is left: the longest-standing admin, or without one the
 * longest-standing member. Returns who, with their role before, or null.
 */
async function promoteOwnerIfNone(trx: Transaction<Database>, conversationId: string): Promise<{ user_id: string; role: MemberRole } | null> {
  const owner = await trx
    .selectFrom('members')
    .select('user_id')
    .where('conversation_id', '=', conversationId)
    .where('role', '=', 'owner')
    .executeTakeFirst();
  if (owner) return null;
  const successor = await trx
    .selectFrom('members')
    .select(['user_id', 'role'])
    .where('conversation_id', '=', conversationId)
    .orderBy(sql`case when role = 'admin' then 0 else 1 end`)
    .orderBy('joined_at')
    .orderBy('user_id')
    .executeTakeFirst();
  if (!successor) return null;
  await trx
    .updateTable('members')
    .set({ role: 'owner' })
    .where('conversation_id', '=', conversationId)
    .where('user_id', '=', successor.user_id)
    .execute();
  return successor;
}
