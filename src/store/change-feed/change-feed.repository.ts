/**
 * Reading the change feed: the event log joined with the current state of what each event
 * changed, positions, read positions, snapshots, and compaction.
 */
import type { Kysely } from 'kysely';
import type { Conversation, ConversationEvent, ConversationSnapshot, ReadPosition } from '@pneumatic/protocol';
import type { ChangeFeedRepository, ConversationRepository, EventsAfter, FeedPosition, MessageRepository } from '../../domain/ports/repositories.js';
import { membersOf, toConversation, toMember } from '../repositories/conversation-rows.js';
import { pinRefsOf } from '../repositories/pin.repository.js';
import { unreadMentionCounts } from '../repositories/mention-marks.repository.js';
import { reactionsOf } from '../repositories/reaction-reads.js';
import { UNREAD_COUNT_CAP } from '../repositories/unread-counts.js';
import { toIso, toMessage, type MessageReactionState } from '../rows.js';
import type { Database } from '../schema.js';

/** event_seq is a 32-bit integer column: PostgreSQL refuses to compare it with anything larger. */
const MAX_EVENT_SEQ = 2_147_483_647;
/** Conversations per statement where ids are listed (SQLite caps bound parameters). */
const CHUNK = 500;
/** Conversations per events statement: three bound parameters each. */
const RANGES_PER_STATEMENT = 200;
/** Conversations whose old events one compaction transaction removes, so the write lock is held briefly. */
const COMPACTION_BATCH = 50;

export class KyselyChangeFeedRepository implements ChangeFeedRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly conversations: ConversationRepository,
    private readonly messages: MessageRepository,
  ) {}

  async positionsForUser(userId: string): Promise<Map<string, FeedPosition>> {
    const rows = await this.db
      .selectFrom('members as m')
      .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
      .select(['c.id', 'c.last_event_seq', 'c.pruned_event_seq'])
      .where('m.user_id', '=', userId)
      .execute();
    return new Map(rows.map((r) => [r.id, { last_event_seq: Number(r.last_event_seq), pruned_event_seq: Number(r.pruned_event_seq) }]));
  }

  async position(conversationId: string): Promise<FeedPosition | null> {
    const row = await this.db
      .selectFrom('conversations')
      .select(['last_event_seq', 'pruned_event_seq'])
      .where('id', '=', conversationId)
      .executeTakeFirst();
    return row ? { last_event_seq: Number(row.last_event_seq), pruned_event_seq: Number(row.pruned_event_seq) } : null;
  }

  async eventsAfter(conversationId: string, after: number, limit: number): Promise<EventsAfter> {
    return (await this.eventsAfterEach([[conversationId, after]], limit)).get(conversationId) ?? { events: [], has_more: false };
  }

  /**
   * Several conversations' pages in a few statements (a sync of 500 conversations would
   * otherwise be 500 round trips). The kept log of a conversation is gapless after its
   * pruned_event_seq, so "the next limit + 1 events after N" is the range N+1 … N+limit+1: an
   * index range per conversation, OR-ed, instead of a LIMIT per conversation.
   */
  async eventsAfterEach(positions: ReadonlyArray<readonly [string, number]>, limit: number): Promise<Map<string, EventsAfter>> {
    const pages = new Map<string, EventsAfter>(positions.map(([id]) => [id, { events: [], has_more: false }]));
    const wanted = positions.filter(([, after]) => after < MAX_EVENT_SEQ);
    const rows: EventRow[] = [];
    for (let i = 0; i < wanted.length; i += RANGES_PER_STATEMENT) rows.push(...(await selectEventRows(this.db, wanted.slice(i, i + RANGES_PER_STATEMENT), limit)));
    const conversations = await this.currentConversations(new Set(rows.filter((r) => r.type.startsWith('conversation.') || r.type === 'messages.expired').map((r) => r.conversation_id)));
    // Messages (and reaction counts) as they are now, for message.*, thread.* and reaction.* events alike.
    const reactions = await reactionsOf(this.db, [...new Set(rows.flatMap((r) => (r.message_id === null ? [] : [r.message_id])))]);
    const counts = new Map<string, number>();
    for (const row of rows) {
      const seen = (counts.get(row.conversation_id) ?? 0) + 1;
      counts.set(row.conversation_id, seen);
      const page = pages.get(row.conversation_id);
      if (!page) continue;
      if (seen > limit) {
        page.has_more = true;
        continue;
      }
      const event = toEvent(row, conversations, reactions);
      if (event) page.events.push(event);
    }
    return pages;
  }

  /** Conversation events carry the conversation as it is now: loaded once per conversation. */
  private async currentConversations(ids: ReadonlySet<string>): Promise<Map<string, Conversation>> {
    const result = new Map<string, Conversation>();
    const list = [...ids];
    for (let i = 0; i < list.length; i += CHUNK) {
      const chunk = list.slice(i, i + CHUNK);
      const [rows, members] = await Promise.all([
        this.db.selectFrom('conversations').selectAll().where('id', 'in', chunk).execute(),
        membersOf(this.db, chunk),
      ]);
      for (const row of rows) result.set(row.id, toConversation(row, members.get(row.id) ?? []));
    }
    return result;
  }

  async readPositions(conversationIds: readonly string[]): Promise<Map<string, ReadPosition[]>> {
    const result = new Map<string, ReadPosition[]>(conversationIds.map((id) => [id, []]));
    for (let i = 0; i < conversationIds.length; i += CHUNK) {
      const rows = await this.db
        .selectFrom('members')
        .select(['conversation_id', 'user_id', 'last_read_seq'])
        .where('conversation_id', 'in', conversationIds.slice(i, i + CHUNK))
        .orderBy('conversation_id')
        .orderBy('joined_at')
        .orderBy('user_id')
        .execute();
      for (const row of rows) result.get(row.conversation_id)?.push({ user_id: row.user_id, last_read_seq: Number(row.last_read_seq) });
    }
    return result;
  }

  async userSeq(userId: string): Promise<number> {
    const row = await this.db.selectFrom('users').select('last_user_seq').where('id', '=', userId).executeTakeFirst();
    return row ? Number(row.last_user_seq) : 0;
  }

  async snapshot(conversationId: string, messagesLimit: number, viewerId?: string): Promise<ConversationSnapshot | null> {
    // The conversation (and so its last_event_seq) first: the messages read after it may be
    // newer than that position, never older, so a client continuing from it misses nothing.
    const conversation = await this.conversations.findById(conversationId);
    if (!conversation) return null;
    const pins = await pinRefsOf(this.db, conversationId);
    if (messagesLimit === 0) return { conversation, messages: [], has_more_messages: conversation.last_seq > 0, pins };
    const page = await this.messages.history(conversationId, viewerId === undefined ? { limit: messagesLimit } : { limit: messagesLimit, viewer: viewerId });
    // Omitted when the viewer reacted to none of them: a v1 client that never reacts sees the v1 shape.
    const mine = page.my_reactions && Object.keys(page.my_reactions).length > 0 ? { my_reactions: page.my_reactions } : {};
    return { conversation, messages: page.messages, has_more_messages: page.has_more, pins, ...mine };
  }

  async unreadMentions(userId: string, conversation: { id: string; last_seq: number; last_read_seq: number }): Promise<number> {
    return (await unreadMentionCounts(this.db, userId, [conversation], UNREAD_COUNT_CAP)).get(conversation.id) ?? 0;
  }

  async compact(cutoff: string): Promise<number> {
    let removed = 0;
    for (;;) {
      const batch = await this.db
        .selectFrom('conversation_events')
        .select(['conversation_id', (eb) => eb.fn.max('event_seq').as('through')])
        .where('created_at', '<', cutoff)
        .groupBy('conversation_id')
        .limit(COMPACTION_BATCH)
        .execute();
      if (batch.length === 0) return removed;
      await this.db.transaction().execute(async (trx) => {
        for (const { conversation_id, through } of batch) {
          // Raised first, so from the moment an event is gone, asking for it answers a snapshot.
          await trx
            .updateTable('conversations')
            .set({ pruned_event_seq: Number(through) })
            .where('id', '=', conversation_id)
            .where('pruned_event_seq', '<', Number(through))
            .execute();
          const result = await trx
            .deleteFrom('conversation_events')
            .where('conversation_id', '=', conversation_id)
            .where('event_seq', '<=', Number(through))
            .executeTakeFirst();
          removed += Number(result.numDeletedRows);
        }
      });
    }
  }
}

/** The event rows in each range (after, after + limit + 1], with the current state of their subjects. */
function selectEventRows(db: Kysely<Database>, ranges: ReadonlyArray<readonly [string, number]>, limit: number) {
return db
    .selectFrom('conversation_events as e')
    .leftJoin('messages as m', 'm.message_id', 'e.message_id')
    .leftJoin('members as mb', (join) => join.onRef('mb.conversation_id', '=', 'e.conversation_id').onRef('mb.user_id', '=', 'e.user_id'))
    .leftJoin('users as u', 'u.id', 'mb.user_id')
    .select([
      'e.conversation_id',
      'e.event_seq',
      'e.type',
      'e.actor_id',
      'e.message_id',
      'e.user_id',
      'e.emoji',
      'e.created_at',
      'm.sender_id',
      'm.content',
      'm.seq',
      'm.created_at as message_created_at',
      'm.edited_at',
      'm.deleted_at',
      'm.version',
      'm.reply_to_id',
      'm.thread_root_id',
      'm.thread_reply_count',
      'm.thread_last_reply_at',
      'm.thread_last_reply_id',
      'm.mentions',
      'm.mentions_all',
      'm.attachments',
      'mb.user_id as member_user_id',
      'mb.role',
      'mb.joined_at',
      'mb.last_read_seq',
      'u.username',
      'u.is_bot',
      'u.display_name',
      'u.avatar_key',
    ])
    .where((eb) =>
      eb.or(
        ranges.map(([conversationId, after]) =>
          eb.and([
            eb('e.conversation_id', '=', conversationId),
            eb('e.event_seq', '>', after),
            eb('e.event_seq', '<=', Math.min(after + limit + 1, MAX_EVENT_SEQ)),
          ]),
        ),
      ),
    )
    .orderBy('e.conversation_id')
    .orderBy('e.event_seq')
    .execute();
}

type EventRow = Awaited<ReturnType<typeof selectEventRows>>[number];

/** An event row with the current state of what it changed; null for a kind this version does not know or whose subject is gone. */
function toEvent(row: EventRow, conversations: ReadonlyMap<string, Conversation>, reactions: ReadonlyMap<string, MessageReactionState>): ConversationEvent | null {
  const head = { event_seq: Number(row.event_seq), conversation_id: row.conversation_id, actor_id: row.actor_id, created_at: toIso(row.created_at) };
  switch (row.type) {
    case 'conversation.created':
    case 'conversation.updated': {
      const conversation = conversations.get(row.conversation_id);
      return conversation ? { ...head, type: row.type, conversation } : null;
    }
    case 'message.created':
    case 'message.edited':
    case 'message.deleted':
    case 'thread.updated':
      if (row.message_id === null || row.sender_id === null || row.seq === null || row.message_created_at === null) return null;
      return {
        ...head,
        type: row.type,
        message: toMessage(
          {
            message_id: row.message_id,
            conversation_id: row.conversation_id,
            sender_id: row.sender_id,
            content: row.content ?? '',
            seq: row.seq,
            created_at: row.message_created_at,
            edited_at: row.edited_at,
            deleted_at: row.deleted_at,
            version: row.version ?? 0,
            reply_to_id: row.reply_to_id,
            thread_root_id: row.thread_root_id,
            thread_reply_count: row.thread_reply_count ?? 0,
            thread_last_reply_at: row.thread_last_reply_at,
            thread_last_reply_id: row.thread_last_reply_id,
            mentions: row.mentions ?? '[]',
            mentions_all: row.mentions_all ?? 0,
            attachments: row.attachments ?? '[]',
          },
          reactions.get(row.message_id),
        ),
      };
    case 'reaction.added':
    case 'reaction.removed': {
      if (row.message_id === null || row.user_id === null || row.emoji === null) return null;
      // The emoji's count now (0 once nobody reacts so, or the message is deleted): applied in order, the last one is current.
      const count = reactions.get(row.message_id)?.reactions.find((r) => r.emoji === row.emoji)?.count ?? 0;
      return { ...head, type: row.type, message_id: row.message_id, emoji: row.emoji, user_id: row.user_id, count };
    }
    case 'message.pinned':
    case 'message.unpinned':
      // Applied in order, each as "pinned now" / "not pinned now", they end at the current pins.
      if (row.message_id === null || row.user_id === null) return null;
      return { ...head, type: row.type, message_id: row.message_id, user_id: row.user_id, at: head.created_at };
    case 'member.added':
    case 'member.removed':
    case 'member.updated': {
      if (row.user_id === null) return null;
      const { member_user_id, role, joined_at, username } = row;
      const member = member_user_id === null || role === null || joined_at === null || username === null ? null : toMember({ ...row, user_id: member_user_id, role, joined_at, username });
      return { ...head, type: row.type, user_id: row.user_id, member };
    }
    case 'messages.expired': {
      // Current state, as every event: the conversation's expiry position now.
      const through = conversations.get(row.conversation_id)?.expired_through_seq;
      return through === undefined ? null : { ...head, type: row.type, through_seq: through };
    }
    default:
      // A kind this server version does not know (written by a newer one): skipped, never a 500.
      return null;
  }
}
