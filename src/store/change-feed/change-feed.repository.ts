/**
 * Reading the change feed: the event log joined with the current state of what each event
 * changed, positions, read positions, snapshots, and compaction.
 */
import type { Kysely } from 'kysely';
import type { Conversation, ConversationEvent, ConversationSnapshot, ReadPosition } from '@pneumatic/protocol';
import type { ChangeFeedRepository, ConversationRepository, EventsAfter, FeedPosition, MessageRepository } from '../../domain/ports/repositories.js';
import { toIso, toMessage } from '../rows.js';
import type { Database } from '../schema.js';

/** event_seq is a 32-bit integer column: PostgreSQL refuses to compare it with anything larger. */
const MAX_EVENT_SEQ = 2_147_483_647;
/** Conversations per statement where ids are listed (SQLite caps bound parameters). */
const CHUNK = 500;
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
    if (after >= MAX_EVENT_SEQ) return { events: [], has_more: false };
    const rows = await this.db
      .selectFrom('conversation_events as e')
      .leftJoin('messages as m', 'm.message_id', 'e.message_id')
      .leftJoin('members as mb', (join) => join.onRef('mb.conversation_id', '=', 'e.conversation_id').onRef('mb.user_id', '=', 'e.user_id'))
      .leftJoin('users as u', 'u.id', 'mb.user_id')
      .select([
        'e.event_seq',
        'e.type',
        'e.actor_id',
        'e.message_id',
        'e.user_id',
        'e.created_at',
        'm.sender_id',
        'm.content',
        'm.seq',
        'm.created_at as message_created_at',
        'm.edited_at',
        'm.deleted_at',
        'm.version',
        'mb.user_id as member_user_id',
        'mb.role',
        'mb.joined_at',
        'mb.last_read_seq',
        'u.username',
      ])
      .where('e.conversation_id', '=', conversationId)
      .where('e.event_seq', '>', after)
      .orderBy('e.event_seq')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    // Conversation events carry the conversation as it is now: loaded once per page.
    let conversation: Conversation | null | undefined;
    const events: ConversationEvent[] = [];
    for (const row of page) {
      const head = { event_seq: Number(row.event_seq), conversation_id: conversationId, actor_id: row.actor_id, created_at: toIso(row.created_at) };
      switch (row.type) {
        case 'conversation.created':
        case 'conversation.updated':
          conversation ??= await this.conversations.findById(conversationId);
          if (!conversation) continue;
          events.push({ ...head, type: row.type, conversation });
          break;
        case 'message.created':
        case 'message.edited':
        case 'message.deleted':
          if (row.message_id === null || row.sender_id === null || row.seq === null || row.message_created_at === null) continue;
          events.push({
            ...head,
            type: row.type,
            message: toMessage({
              message_id: row.message_id,
              conversation_id: conversationId,
              sender_id: row.sender_id,
              content: row.content ?? '',
              seq: row.seq,
              created_at: row.message_created_at,
              edited_at: row.edited_at,
              deleted_at: row.deleted_at,
              version: row.version ?? 0,
            }),
          });
          break;
        case 'member.added':
        case 'member.removed':
        case 'member.updated': {
          if (row.user_id === null) continue;
          const member =
            row.member_user_id === null || row.role === null || row.joined_at === null || row.username === null
              ? null
              : { user_id: row.member_user_id, username: row.username, role: row.role, joined_at: toIso(row.joined_at), last_read_seq: Number(row.last_read_seq ?? 0) };
          events.push({ ...head, type: row.type, user_id: row.user_id, member });
          break;
        }
        default:
          // A kind this server version does not know (written by a newer one): skipped, never a 500.
          break;
      }
    }
    return { events, has_more: rows.length > limit };
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

  async snapshot(conversationId: string, messagesLimit: number): Promise<ConversationSnapshot | null> {
    // The conversation (and so its last_event_seq) first: the messages read after it may be
    // newer than that position, never older, so a client continuing from it misses nothing.
    const conversation = await this.conversations.findById(conversationId);
    if (!conversation) return null;
    if (messagesLimit === 0) return { conversation, messages: [], has_more_messages: conversation.last_seq > 0 };
    const page = await this.messages.history(conversationId, { limit: messagesLimit });
    return { conversation, messages: page.messages, has_more_messages: page.has_more };
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
