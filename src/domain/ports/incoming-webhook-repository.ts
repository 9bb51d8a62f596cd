/** Incoming webhooks (docs/API.md, "Incoming webhooks"): a secret URL that posts into one conversation as a bot. */

export interface IncomingWebhookRecord {
  id: string;
  conversation_id: string;
  /** The bot the webhook posts as. */
  bot_user_id: string;
  created_by: string;
  created_at: string;
}

export interface IncomingWebhookRepository {
  /** Stores a webhook with the hash of its secret (the secret itself is never stored). */
  create(webhook: IncomingWebhookRecord & { token_hash: string }): Promise<void>;
  /** The conversation's webhooks, oldest first. */
  listFor(conversationId: string): Promise<IncomingWebhookRecord[]>;
  findByTokenHash(tokenHash: string): Promise<IncomingWebhookRecord | null>;
  /** Deletes the webhook of this conversation; false when it has none with this id. */
  remove(id: string, conversationId: string): Promise<boolean>;
}
