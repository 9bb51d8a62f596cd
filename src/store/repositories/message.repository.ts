import type { Kysely } from 'kysely';
import type { AppendResult, HistoryPage, MessageRepository, NewMessage } from '../../domain/ports/repositories.js';
import type { Message } from '@pneumatic/protocol';
import { isUniqueViolation } from '../sql-errors.js';
import { toMessage } from '../rows.js';
import type { Database } from '../schema.js';

const MAX_SEQ = 2_147_483_647;

class AlreadyStored extends Error {
  constructor(readonly stored: Message) {
    super('message_id already stored');
  }
}

export class KyselyMessageRepository implements MessageRepository {
  constructor(
    private readonly db: Kysely<Database>,
    /** The dialect's fast path for sends (SQLite group commit, PostgreSQL single statement). */
    private readonly appender: { append(message: NewMessage): Promise<AppendResult> } | null = null,
  ) {}

  async append(message: NewMessage): Promise<AppendResult> {
    if (this.appender) return this.appender.append(message);
    // Retries are common (lost acks); answering them needs no write lock.
    const earlier = await this.findById(message.message_id);
    if (earlier) return { kind: 'existing', message: earlier };
    try {
      return await this.db.transaction().execute(async (trx) => {
        // Write first: incrementing the counter row locks it (PostgreSQL) or takes the write lock
        // (SQLite) until commit, so seq is gapless and in commit order, and no SQLite reader
        // snapshot has to be upgraded to a writer (which fails at once instead of waiting).
        const counter = await trx
          .updateTable('conversations')
          .set((eb) => ({ last_seq: eb('last_seq', '+', 1), last_activity_at: message.created_at }))
          .where('id', '=', message.conversation_id)
          .returning('last_seq')
          .executeTakeFirstOrThrow();
        const existing = await trx.selectFrom('messages').selectAll().where('message_id', '=', message.message_id).executeTakeFirst();
        if (existing) throw new AlreadyStored(toMessage(existing));
        const row = { ...message, seq: Number(counter.last_seq), edited_at: null, deleted_at: null };
        await trx.insertInto('messages').values(row).execute();
        return { kind: 'created', message: toMessage(row) };
      });
    } catch (error) {
      // Thrown to roll the counter back: a repeat consumes no seq.
      if (error instanceof AlreadyStored) return { kind: 'existing', message: error.stored };
      // A concurrent send of the same message_id committed first; ours rolled back with its seq.
      if (!isUniqueViolation(error)) throw error;
      const stored = await this.findById(message.message_id);
      if (!stored) throw error;
      return { kind: 'existing', message: stored };
    }
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

  async edit(messageId: string, content: string, editedAt: string): Promise<Message | null> {
    const row = await this.db
      .updateTable('messages')
      .set({ content, edited_at: editedAt })
      .where('message_id', '=', messageId)
      .where('deleted_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    return row ? toMessage(row) : null;
  }

  async markDeleted(messageId: string, deletedAt: string): Promise<Message | null> {
    const row = await this.db
      .updateTable('messages')
      .set({ content: '', deleted_at: deletedAt })
      .where('message_id', '=', messageId)
      .where('deleted_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    return row ? toMessage(row) : null;
  }
}
