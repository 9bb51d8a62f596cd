import { randomUUID } from 'node:crypto';
import { INCOMING_WEBHOOK_PREFIX, type IncomingWebhook, type Message } from '@pneumatic/protocol';
import type { Principal } from './account.service.js';
import type { BotService } from './bot.service.js';
import { nowIso } from './clock.js';
import type { ConversationService } from './conversation.service.js';
import { requireMembership, requireRoleMay } from './conversation.policy.js';
import { AppError } from './errors.js';
import type { MessageService } from './message.service.js';
import type { IncomingWebhookRecord } from './ports/incoming-webhook-repository.js';
import type { Store } from './ports/repositories.js';
import { derivedUuid } from './security/derived-uuid.js';
import { hashToken, newToken } from './security/tokens.js';

export interface IncomingWebhookServiceDeps {
  store: Store;
  bots: BotService;
  conversations: ConversationService;
  messages: MessageService;
}

/**
 * The message id of a post with an Idempotency-Key: the same for the same webhook and key, so a
 * repeat is the ordinary idempotent send (200 and the stored message, nothing new), and keys of
 * different webhooks never meet.
 */
export function idempotentMessageId(webhookId: string, key: string): string {
  return derivedUuid(`${webhookId}\0${key}`);
}

/**
 * Incoming webhooks (docs/API.md, "Incoming webhooks"): a member makes a secret URL that posts
 * into the conversation as a new bot they own, added as a member. Anyone holding the URL can
 * post; nobody else learns anything from it (an unknown or revoked secret is 404, found by the
 * hash of the secret, never compared character by character). Its creator or an owner revokes it.
 */
export class IncomingWebhookService {
  constructor(private readonly deps: IncomingWebhookServiceDeps) {}

  async create(principal: Principal, conversationId: string, username: string): Promise<{ webhook: IncomingWebhook; secret: string }> {
    await requireMembership(this.deps.store, conversationId, principal.user.id);
    const bot = await this.deps.bots.create(principal, username);
    await this.deps.conversations.addMember(principal.user.id, conversationId, bot.user.id);
    const secret = INCOMING_WEBHOOK_PREFIX + newToken();
    const record: IncomingWebhookRecord = { id: randomUUID(), conversation_id: conversationId, bot_user_id: bot.user.id, created_by: principal.user.id, created_at: nowIso() };
    await this.deps.store.incomingWebhooks.create({ ...record, token_hash: hashToken(secret) });
    return { webhook: { ...this.describe(record), bot: bot.user }, secret };
  }

  async list(callerId: string, conversationId: string): Promise<IncomingWebhook[]> {
    await requireMembership(this.deps.store, conversationId, callerId);
    const records = await this.deps.store.incomingWebhooks.listFor(conversationId);
    const listed: IncomingWebhook[] = [];
    for (const record of records) {
      const bot = await this.deps.store.users.findById(record.bot_user_id);
      if (bot) listed.push({ ...this.describe(record), bot });
    }
    return listed;
  }

  /** Its creator or an owner or admin of the conversation; the bot stays a member, its messages stay. */
  async revoke(callerId: string, conversationId: string, webhookId: string): Promise<void> {
    const membership = await requireMembership(this.deps.store, conversationId, callerId, true);
    const record = (await this.deps.store.incomingWebhooks.listFor(conversationId)).find((w) => w.id === webhookId);
    if (!record) throw new AppError('not_found', 'This conversation has no incoming webhook with this id.');
    if (record.created_by !== callerId) requireRoleMay(membership, 'manage_webhooks', 'Only its creator or an owner or admin of the conversation may revoke this webhook.');
    await this.deps.store.incomingWebhooks.remove(webhookId, conversationId);
  }

  /** A post to the secret URL: the bot sends `content`; a repeated Idempotency-Key sends nothing new. */
  async post(secret: string, content: string, idempotencyKey: string | undefined): Promise<{ message: Message; created: boolean }> {
    const record = secret.startsWith(INCOMING_WEBHOOK_PREFIX) ? await this.deps.store.incomingWebhooks.findByTokenHash(hashToken(secret)) : null;
    if (!record) throw new AppError('not_found', 'No incoming webhook has this URL.');
    const messageId = idempotencyKey === undefined ? randomUUID() : idempotentMessageId(record.id, idempotencyKey);
    return this.deps.messages.send(record.bot_user_id, { message_id: messageId, conversation_id: record.conversation_id, content });
  }

  private describe(record: IncomingWebhookRecord): Omit<IncomingWebhook, 'bot'> {
    return { id: record.id, conversation_id: record.conversation_id, created_by: record.created_by, created_at: record.created_at };
  }
}
