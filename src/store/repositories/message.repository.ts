import type { Kysely } from 'kysely';
import type { AppendResult, HistoryPage, MessageAppender, MessageRef, MessageRepository, NewMessage } from '../../domain/ports/repositories.js';
import { changeOrNothing, logEvent, nextEventSeq, NothingChanged } from '../change-feed/event-log.js';
import type { Message } from '@pneumatic/protocol';
import { toMessage } from '../rows.js';
import type { Database } from '../schema.js';

const MAX_SEQ = 2_147_483_647;

/** Messages on Kysely; sends go to the dialect's own `MessageAppender`. */
export class KyselyMessageRepository implements MessageRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly appender: MessageAppender,
  ) {}

  append(message: NewMessage): Promise<AppendResult> {
    return this.appender.append(message);
  }

  async findById(messageId: string): Promise<Message | null> {
    const row = await this.db.selectFrom('messages').selectAll().where('message_id', '=', messageId).executeTakeFirst();
    return row ? toMessage(row) : null;
  }

  async history(conversationId: string, query: { limit: number; before?: number; after?: number }): Promise<HistoryPage> {
    let select = this.db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId);
    // seq is a 32-bit integer column: a cursor past that range is past every seq (PostgreSQL
    // would refuse to compare it), so `after` finds nothing and `before` excludes nothing.
    if (query.after !== undefined && query.after >= MAX_SEQ) return { messages: [], has_more: false };
    if (query.before !== undefined && query.before > MAX_SEQ) query = { limit: query.limit };
    if (query.after !== undefined) {
      const rows = await select.where('seq', '>', query.after).orderBy('seq', 'asc').limit(query.limit + 1).execute();
      return { messages: rows.slice(0, query.limit).map(toMessage), has_more: rows.length > query.limit };
    }
    if (query.before !== undefined) select = select.where('seq', '<', query.before);
    const rows = await select.orderBy('seq', 'desc').limit(query.limit + 1).execute();
    return { messages: rows.slice(0, query.limit).reverse().map(toMessage), has_more: rows.length > query.limit };
  }

  edit(message: MessageRef, content: string, editedAt: string, actorId: string): Promise<Message | null> {
    return this.change(message, 'message.edited', { content, edited_at: editedAt }, editedAt, actorId);
  }

  markDeleted(message: MessageRef, deletedAt: string, actorId: string): Promise<Message | null> {
    return this.change(message, 'message.deleted', { content: '', deleted_at: deletedAt }, deletedAt, actorId);
  }

  /** Changes a message that is not deleted, as its conversation's next event; null when it is deleted. */
  private change(
    message: MessageRef,
    type: 'message.edited' | 'message.deleted',
    set: { content: string; edited_at?: string; deleted_at?: string },
    at: string,
    actorId: string,
  ): Promise<Message | null> {
    return changeOrNothing(this.db, async (trx) => {
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
      await logEvent(trx, { conversation_id: message.conversation_id, event_seq: eventSeq, type, actor_id: actorId, message_id: message.message_id, created_at: at });
      return toMessage(row);
    });
  }
}
