/** Outgoing webhooks, the owner's side (WebhookRepository) on Kysely, both dialects. */
import type { Kysely } from 'kysely';
import type { WebhookDelivery } from '@pneumatic/protocol';
import type { DeliveryPage, WebhookChanges, WebhookRecord, WebhookRepository } from '../../domain/ports/webhook-repository.js';
import type { Database } from '../schema.js';
import { DELIVERY_COLUMNS, toDelivery, toWebhookRecord, WEBHOOK_COLUMNS } from './webhook-rows.js';

export class KyselyWebhookRepository implements WebhookRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(webhook: WebhookRecord, secret: string, now: number): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('webhooks')
        .values({ ...webhook, event_types: JSON.stringify(webhook.event_types), enabled: 1, secret, previous_secret: null, previous_secret_until: null })
        .execute();
      // Lanes at the end of each covered conversation's feed: it gets what happens from now on.
      let covered = tx
        .selectFrom('members as m')
        .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
        .select(['m.conversation_id', 'c.last_event_seq'])
        .where('m.user_id', '=', webhook.subject_user_id);
      if (webhook.conversation_id !== null) covered = covered.where('m.conversation_id', '=', webhook.conversation_id);
      const rows = await covered.execute();
      if (rows.length === 0) return;
      await tx
        .insertInto('webhook_lanes')
        .values(rows.map((r) => ({ webhook_id: webhook.id, conversation_id: r.conversation_id, delivered_event_seq: Number(r.last_event_seq), next_attempt_at: now })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    });
  }

  async countOwnedBy(ownerId: string): Promise<number> {
    const row = await this.db.selectFrom('webhooks').select((eb) => eb.fn.countAll<number | string>().as('n')).where('owner_id', '=', ownerId).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async ownedBy(ownerId: string): Promise<WebhookRecord[]> {
    const rows = await this.db.selectFrom('webhooks').select(WEBHOOK_COLUMNS).where('owner_id', '=', ownerId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toWebhookRecord);
  }

  async find(id: string): Promise<WebhookRecord | null> {
    const row = await this.db.selectFrom('webhooks').select(WEBHOOK_COLUMNS).where('id', '=', id).executeTakeFirst();
    return row ? toWebhookRecord(row) : null;
  }

  async update(id: string, changes: WebhookChanges, now: number): Promise<WebhookRecord | null> {
    return this.db.transaction().execute(async (tx) => {
      const current = await tx.selectFrom('webhooks').select(['enabled']).where('id', '=', id).executeTakeFirst();
      if (!current) return null;
      const wasEnabled = Number(current.enabled) === 1;
      const set: Record<string, unknown> = {};
      if (changes.url !== undefined) set.url = changes.url;
      if (changes.event_types !== undefined) set.event_types = JSON.stringify(changes.event_types);
      if (changes.description !== undefined) set.description = changes.description;
      if (changes.enabled === false && wasEnabled) Object.assign(set, { enabled: 0, disabled_reason: 'owner', disabled_at: new Date(now).toISOString() });
      if (changes.enabled === true && !wasEnabled) {
        Object.assign(set, { enabled: 1, disabled_reason: null, disabled_at: null, failing_since: null });
        // Every lane tries its head again now, with a fresh count of failures.
        await tx.updateTable('webhook_lanes').set({ next_attempt_at: now, attempts: 0, head_failing_since: null }).where('webhook_id', '=', id).execute();
      }
      if (Object.keys(set).length > 0) await tx.updateTable('webhooks').set(set).where('id', '=', id).execute();
      const row = await tx.selectFrom('webhooks').select(WEBHOOK_COLUMNS).where('id', '=', id).executeTakeFirstOrThrow();
      return toWebhookRecord(row);
    });
  }

  async rotateSecret(id: string, secret: string, previousUntil: number): Promise<boolean> {
    const result = await this.db
      .updateTable('webhooks')
      .set((eb) => ({ previous_secret: eb.ref('secret'), previous_secret_until: previousUntil, secret }))
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async remove(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async deliveries(webhookId: string, page: DeliveryPage): Promise<WebhookDelivery[]> {
    let query = this.db.selectFrom('webhook_deliveries').select(DELIVERY_COLUMNS).where('webhook_id', '=', webhookId);
    if (page.status !== undefined) query = query.where('status', '=', page.status);
    if (page.before !== undefined) {
      const { created_at, id } = page.before;
      query = query.where((eb) => eb.or([eb('created_at', '<', created_at), eb.and([eb('created_at', '=', created_at), eb('id', '<', id)])]));
    }
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
    return rows.map(toDelivery);
  }

  async requestRedelivery(webhookId: string, deliveryId: string, now: number): Promise<WebhookDelivery | null> {
    return this.db.transaction().execute(async (tx) => {
      const row = await tx.selectFrom('webhook_deliveries').select(DELIVERY_COLUMNS).where('id', '=', deliveryId).where('webhook_id', '=', webhookId).executeTakeFirst();
      if (!row) return null;
      if (row.status === 'retrying') {
        // The lane's head: its lane tries it now, in order, rather than a copy beside it.
        await tx
          .updateTable('webhook_lanes')
          .set({ next_attempt_at: now })
          .where('webhook_id', '=', webhookId)
          .where('conversation_id', '=', row.conversation_id)
          .execute();
        await tx.updateTable('webhook_deliveries').set({ next_attempt_at: now }).where('id', '=', deliveryId).execute();
        return toDelivery({ ...row, next_attempt_at: now });
      }
      await tx.updateTable('webhook_deliveries').set({ redeliver_requested_at: now, redeliver_lease_until: null }).where('id', '=', deliveryId).execute();
      return toDelivery({ ...row, redeliver_requested_at: now });
    });
  }
}

