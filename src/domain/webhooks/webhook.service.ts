/**
 * Outgoing webhooks, the owner's side (docs/API.md, "Outgoing webhooks"): subscribing a URL to
 * event types of a conversation the caller owns or of a bot they own, listing, changing,
 * rotating the secret, the delivery log and redelivery. Delivering is src/webhooks/.
 *
 * A webhook is its owner's alone: anyone else asking about it gets the 404 of one that does
 * not exist. Bots do not own webhooks (their owner does, for them).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { WEBHOOK_SECRET_PREFIX, type CreateWebhook, type UpdateWebhook, type Webhook, type WebhookDelivery, type WebhookDeliveryList } from '@pneumatic/protocol';
import type { Principal } from '../account.service.js';
import { nowIso } from '../clock.js';
import { requireMembership, requireRoleMay } from '../conversation.policy.js';
import { AppError } from '../errors.js';
import type { Store } from '../ports/repositories.js';
import type { DeliveryPage, WebhookRecord, WebhookRepository } from '../ports/webhook-repository.js';
import { validWebhookUrl, type WebhookUrlRules } from './webhook-url.policy.js';

export interface WebhookServiceDeps {
  store: Store;
  webhooks: WebhookRepository;
  urlRules: WebhookUrlRules;
  maxPerUser: number;
  /** How long a rotated-out secret keeps signing beside the new one. */
  secretOverlapMs: number;
  now?: () => number;
}

/** A new signing secret: the Standard Webhooks form, `whsec_` and base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(32).toString('base64');
}

const notFound = () => new AppError('not_found', 'You have no webhook with this id.');

export class WebhookService {
  private readonly now: () => number;

  constructor(private readonly deps: WebhookServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  async create(principal: Principal, input: CreateWebhook): Promise<{ webhook: Webhook; secret: string }> {
    const owner = principal.user;
    if (owner.is_bot) throw new AppError('forbidden', 'A bot cannot own webhooks; its owner can subscribe one for it.');
    if ((input.conversation_id === undefined) === (input.bot_id === undefined)) {
      throw new AppError('invalid_request', 'Give exactly one of conversation_id and bot_id.', {
        errors: [{ pointer: '/conversation_id', detail: 'exactly one of conversation_id and bot_id' }],
      });
    }
    const url = validWebhookUrl(input.url, this.deps.urlRules);
    let subject = owner.id;
    if (input.conversation_id !== undefined) {
      const membership = await requireMembership(this.deps.store, input.conversation_id, owner.id, true);
      requireRoleMay(membership, 'manage_webhooks', 'Only an owner or admin of the conversation may subscribe a webhook to its events.');
    } else {
      const bot = await this.deps.store.users.ownedBot(input.bot_id!, owner.id);
      if (!bot) throw new AppError('not_found', 'You own no bot with this id.');
      subject = bot.user.id;
    }
    if ((await this.deps.webhooks.countOwnedBy(owner.id)) >= this.deps.maxPerUser) {
      throw new AppError('too_many_webhooks', `You have ${this.deps.maxPerUser} webhooks, the most one user may have; delete one first.`);
    }
    const record: WebhookRecord = {
      id: randomUUID(),
      owner_id: owner.id,
      subject_user_id: subject,
      conversation_id: input.conversation_id ?? null,
      bot_id: input.bot_id ?? null,
      url,
      event_types: [...input.event_types],
      description: input.description ?? '',
      enabled: true,
      disabled_reason: null,
      disabled_at: null,
      failing_since: null,
      last_success_at: null,
      created_at: nowIso(),
    };
    const secret = newWebhookSecret();
    await this.deps.webhooks.create(record, secret, this.now());
    return { webhook: describe(record), secret };
  }

  async list(ownerId: string): Promise<Webhook[]> {
    return (await this.deps.webhooks.ownedBy(ownerId)).map(describe);
  }

  async get(ownerId: string, id: string): Promise<Webhook> {
    return describe(await this.owned(ownerId, id));
  }

  async update(ownerId: string, id: string, input: UpdateWebhook): Promise<Webhook> {
    await this.owned(ownerId, id);
    const url = input.url === undefined ? undefined : validWebhookUrl(input.url, this.deps.urlRules);
    const updated = await this.deps.webhooks.update(id, { url, event_types: input.event_types, description: input.description, enabled: input.enabled }, this.now());
    if (!updated) throw notFound();
    return describe(updated);
  }

  async rotateSecret(ownerId: string, id: string): Promise<{ webhook: Webhook; secret: string }> {
    const record = await this.owned(ownerId, id);
    const secret = newWebhookSecret();
    if (!(await this.deps.webhooks.rotateSecret(id, secret, this.now() + this.deps.secretOverlapMs))) throw notFound();
    return { webhook: describe(record), secret };
  }

  async remove(ownerId: string, id: string): Promise<void> {
    await this.owned(ownerId, id);
    await this.deps.webhooks.remove(id);
  }

  async deliveries(ownerId: string, id: string, query: { limit: number; before?: string; status?: WebhookDelivery['status'] }): Promise<WebhookDeliveryList> {
    await this.owned(ownerId, id);
    const page: DeliveryPage = { limit: query.limit, status: query.status, before: query.before === undefined ? undefined : parseCursor(query.before) };
    const deliveries = await this.deps.webhooks.deliveries(id, { ...page, limit: page.limit + 1 });
    const more = deliveries.length > page.limit;
    const shown = deliveries.slice(0, page.limit);
    const last = shown.at(-1);
    return { deliveries: shown, next_before: more && last ? `${Date.parse(last.created_at)}_${last.id}` : null };
  }

  async redeliver(ownerId: string, id: string, deliveryId: string): Promise<WebhookDelivery> {
    await this.owned(ownerId, id);
    const delivery = await this.deps.webhooks.requestRedelivery(id, deliveryId, this.now());
    if (!delivery) throw new AppError('not_found', 'This webhook has no delivery with this id.');
    return delivery;
  }

  private async owned(ownerId: string, id: string): Promise<WebhookRecord> {
    const record = await this.deps.webhooks.find(id);
    if (!record || record.owner_id !== ownerId) throw notFound();
    return record;
  }
}

function parseCursor(text: string): { created_at: number; id: string } {
  const match = /^(\d{1,16})_([0-9a-f-]{36})$/.exec(text);
  if (!match) throw new AppError('invalid_cursor', 'before is not a next_before this server gave.');
  return { created_at: Number(match[1]), id: match[2]! };
}

/** The webhook as its owner sees it (the subject is conversation_id or bot_id, said once). */
export function describe(record: WebhookRecord): Webhook {
  const { subject_user_id: _subject, ...shown } = record;
  return { ...shown, event_types: shown.event_types as Webhook['event_types'] };
}
