import type { Kysely, Transaction } from 'kysely';
import type {
  AppendResult,
  HistoryPage,
  HistoryPageJson,
  HistoryQuery,
  MessageAppender,
  MessageRef,
  MessageMentions,
  MessageRepository,
  NewMessage,
} from '../../domain/ports/repositories.js';
import { NO_MENTIONS } from '../../domain/ports/repositories.js';
import { markTargets, mentionColumns } from '../mention-marks.js';
import { replaceMentionMarks } from './mention-marks.repository.js';
import { changeOrNothing, logEvent, nextEventSeq, NothingChanged } from '../change-feed/event-log.js';
import type { Message, MyReactions } from '@pneumatic/protocol';
import { toMessage, type MessageReactionState, type MessageRow } from '../rows.js';
import type { Database } from '../schema.js';
import type { Dialect } from '../dialect.js';
import { readJsonPage } from './json-page.js';
import { aroundReads, cutAround } from './history-around.js';
import { boundHistoryQuery, HISTORY_JSON_SQL, type PageSql } from './message-history.js';
import { pageMyReactions, reactionsOf } from './reaction-reads.js';

type ChangedColumns = { content: string; edited_at?: string; deleted_at?: string; reaction_count?: number; attachments?: string; mentions: string; mentions_all: number };

/** What a delete leaves of a message (besides deleted_at): no content, reactions, files nor mentions. */
const DELETED = { content: '', reaction_count: 0, attachments: '[]', ...mentionColumns(NO_MENTIONS) };

/** Messages on Kysely; sends go to the dialect's own `MessageAppender`. */
export class KyselyMessageRepository implements MessageRepository {
  private readonly historySql: PageSql;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly appender: MessageAppender,
    private readonly dialect: Dialect,
  ) {
    this.historySql = HISTORY_JSON_SQL[dialect];
  }

  /** A new message has no reactions; one already stored may have some, read here. */
  async append(message: NewMessage): Promise<AppendResult> {
    const result = await this.appender.append(message);
    if (result.kind === 'created') return result;
    const reactions = (await reactionsOf(this.db, [result.message.message_id])).get(result.message.message_id);
    return reactions && reactions.reactions.length > 0 ? { kind: 'existing', message: { ...result.message, reactions: reactions.reactions } } : result;
  }

  async findById(messageId: string): Promise<Message | null> {
    const row = await this.db.selectFrom('messages').selectAll().where('message_id', '=', messageId).executeTakeFirst();
    return row ? (await this.withReactions([row])).messages[0]! : null;
  }

  async history(conversationId: string, query: HistoryQuery): Promise<HistoryPage> {
    if (query.around !== undefined) {
      const { older, newer } = aroundReads({ ...query, around: query.around });
      const cut = cutAround(await this.historyRows(conversationId, older), await this.historyRows(conversationId, newer), query.limit);
      const has = { has_more: cut.has_more_before || cut.has_more_after, has_more_before: cut.has_more_before, has_more_after: cut.has_more_after };
      return { ...(await this.withReactions(cut.rows, query.viewer)), ...has };
    }
    const rows = await this.historyRows(conversationId, query);
    const page = rows.slice(0, query.limit);
    return { ...(await this.withReactions(query.after === undefined ? page.reverse() : page, query.viewer)), has_more: rows.length > query.limit };
  }

  /** A one-sided page's rows as read: `limit + 1` at most, oldest first for `after`, else newest first. */
  private async historyRows(conversationId: string, query: HistoryQuery): Promise<MessageRow[]> {
    const bounded = boundHistoryQuery(query);
    if (bounded === null) return [];
    let select = this.db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId);
    if (bounded.after !== undefined) return select.where('seq', '>', bounded.after).orderBy('seq', 'asc').limit(bounded.limit + 1).execute();
    if (bounded.before !== undefined) select = select.where('seq', '<', bounded.before);
    return select.orderBy('seq', 'desc').limit(bounded.limit + 1).execute();
  }

  /**
   * The rows as Messages with their reactions, read only for the rows whose reaction_count says
   * they have some; with a viewer, the page's `my_reactions` too.
   */
  private async withReactions(rows: readonly MessageRow[], viewer?: string): Promise<{ messages: Message[]; my_reactions?: MyReactions }> {
    const reacted = rows.filter((row) => row.reaction_count === undefined || Number(row.reaction_count) > 0).map((row) => row.message_id);
    const reactions = reacted.length === 0 ? new Map<string, MessageReactionState>() : await reactionsOf(this.db, reacted, viewer);
    const messages = rows.map((row) => toMessage(row, reactions.get(row.message_id)));
    return viewer === undefined ? { messages } : { messages, my_reactions: pageMyReactions(reactions) };
  }

  historyJson(conversationId: string, query: HistoryQuery): Promise<HistoryPageJson> {
    return readJsonPage(this.db, this.dialect, this.historySql, conversationId, query);
  }

  /** The mentions replace the old ones, marks included, in the edit's transaction. */
  edit(message: MessageRef, content: string, editedAt: string, actorId: string, mentions: MessageMentions = NO_MENTIONS): Promise<Message | null> {
    const set = { content, edited_at: editedAt, ...mentionColumns(mentions) };
    return changeOrNothing(this.db, (trx) => this.changeIn(trx, message, 'message.edited', set, editedAt, actorId, mentions));
  }

  /** A deleted message has no reactions, pin, mentions nor mention marks: they are removed in the same transaction. */
  markDeleted(message: MessageRef, deletedAt: string, actorId: string): Promise<Message | null> {
    return changeOrNothing(this.db, (trx) => this.changeIn(trx, message, 'message.deleted', { ...DELETED, deleted_at: deletedAt }, deletedAt, actorId, NO_MENTIONS));
  }

  /**
   * Many deletes in one transaction (a message removal's batch): one commit, one fsync, instead
   * of one per message. Each conversation's counter row is locked before its messages are read
   * (every edit, delete and expiry takes it first, so which are live cannot change meanwhile),
   * and in id order, as every transaction that takes several does, so it never deadlocks.
   */
  markDeletedMany(messages: readonly MessageRef[], deletedAt: string, actorId: string): Promise<Message[]> {
    const byConversation = new Map<string, string[]>();
    for (const { conversation_id, message_id } of messages) {
      const ids = byConversation.get(conversation_id) ?? [];
      ids.push(message_id);
      byConversation.set(conversation_id, ids);
    }
    if (byConversation.size === 0) return Promise.resolve([]);
    return this.db.transaction().execute(async (trx) => {
      const deleted: Message[] = [];
      for (const conversationId of [...byConversation.keys()].sort()) {
        const locked = await trx
          .updateTable('conversations')
          .set((eb) => ({ last_event_seq: eb.ref('last_event_seq') }))
          .where('id', '=', conversationId)
          .returning('id')
          .executeTakeFirst();
        if (!locked) continue;
        const live = await trx
          .selectFrom('messages')
          .select('message_id')
          .where('conversation_id', '=', conversationId)
          .where('message_id', 'in', byConversation.get(conversationId)!)
          .where('deleted_at', 'is', null)
          .orderBy('seq')
          .execute();
        for (const { message_id } of live) {
          // Cannot find it deleted under the lock; if it did, the batch rolls back and is retried.
          deleted.push(await this.changeIn(trx, { message_id, conversation_id: conversationId }, 'message.deleted', { ...DELETED, deleted_at: deletedAt }, deletedAt, actorId, NO_MENTIONS));
        }
      }
      return deleted;
    });
  }

  /** Changes a message that is not deleted, as its conversation's next event; throws NothingChanged when it is deleted (or gone). */
  private async changeIn(
    trx: Transaction<Database>,
    message: MessageRef,
    type: 'message.edited' | 'message.deleted',
    set: ChangedColumns,
    at: string,
    actorId: string,
    mentions: MessageMentions,
  ): Promise<Message> {
    const eventSeq = await nextEventSeq(trx, message.conversation_id);
    if (eventSeq === null) throw new NothingChanged();
    const row = await trx
      .updateTable('messages')
      .set({ ...set, version: eventSeq })
      .where('message_id', '=', message.message_id)
      .where('conversation_id', '=', message.conversation_id)
      .where('deleted_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new NothingChanged();
    if (type === 'message.deleted') {
      // Its reactions and its pin go with it (the message.deleted event says so; no unpinned event).
      await trx.deleteFrom('reactions').where('message_id', '=', message.message_id).execute();
      await trx.deleteFrom('pins').where('conversation_id', '=', message.conversation_id).where('message_id', '=', message.message_id).execute();
      // Its files are no longer anyone's to read; the clean-up job deletes those nothing else attaches.
      await trx.deleteFrom('message_attachments').where('message_id', '=', message.message_id).execute();
    }
    await replaceMentionMarks(trx, row, markTargets(row.sender_id, mentions));
    await logEvent(trx, { conversation_id: message.conversation_id, event_seq: eventSeq, type, actor_id: actorId, message_id: message.message_id, created_at: at });
    // Under the conversation's lock, so no reaction change interleaves: these are the edited message's.
    const reactions = type === 'message.deleted' ? undefined : (await reactionsOf(trx, [message.message_id])).get(message.message_id);
    return toMessage(row, reactions);
  }
}
