/** A user's own messages, for their data export (GET /users/me/export). */
import type { Message } from '@pneumatic/protocol';
import type { Kysely } from 'kysely';
import type { SentMessagesRepository } from '../../domain/ports/sent-messages-repository.js';
import { reactionsOf } from '../repositories/reaction-reads.js';
import { toMessage } from '../rows.js';
import type { Database } from '../schema.js';

export class KyselySentMessagesRepository implements SentMessagesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Walks (conversation_id, seq), the unique index, keeping the sender's rows. */
  async sentBy(userId: string, conversationId: string, afterSeq: number, limit: number): Promise<Message[]> {
    const rows = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('seq', '>', afterSeq)
      .where('sender_id', '=', userId)
      .orderBy('seq')
      .limit(limit)
      .execute();
    const reactions = await reactionsOf(this.db, rows.map((r) => r.message_id));
    return rows.map((row) => toMessage(row, reactions.get(row.message_id)));
  }
}
