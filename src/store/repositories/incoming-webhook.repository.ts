import type { Kysely } from 'kysely';
import type { IncomingWebhookRecord, IncomingWebhookRepository } from '../../domain/ports/incoming-webhook-repository.js';
import { toIso } from '../rows.js';
import type { Database } from '../schema.js';

const COLUMNS = ['id', 'conversation_id', 'bot_user_id', 'created_by', 'created_at'] as const;

function toRecord(row: { id: string; conversation_id: string; bot_user_id: string; created_by: string; created_at: Date | string }): IncomingWebhookRecord {
  return { ...row, created_at: toIso(row.created_at) };
}

export class KyselyIncomingWebhookRepository implements IncomingWebhookRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(webhook: IncomingWebhookRecord & { token_hash: string }): Promise<void> {
    await this.db.insertInto('incoming_webhooks').values(webhook).execute();
  }

  async listFor(conversationId: string): Promise<IncomingWebhookRecord[]> {
    const rows = await this.db.selectFrom('incoming_webhooks').select(COLUMNS).where('conversation_id', '=', conversationId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toRecord);
  }

  async findByTokenHash(tokenHash: string): Promise<IncomingWebhookRecord | null> {
    const row = await this.db.selectFrom('incoming_webhooks').select(COLUMNS).where('token_hash', '=', tokenHash).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async remove(id: string, conversationId: string): Promise<boolean> {
    const rows = await this.db.deleteFrom('incoming_webhooks').where('id', '=', id).where('conversation_id', '=', conversationId).returning('id').execute();
    return rows.length > 0;
  }
}
