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

  // No transaction around a read and then a write here: on SQLite a transaction that reads first
  // and writes after another connection committed (the webhook thread's, the writer thread's) is
  // refused at once (SQLITE_BUSY, a stale snapshot), whatever the busy timeout. Each statement
  // below is a write on its own, conditional on the state it changes.
  async update(id: string, changes: WebhookChanges, now: number): Promise<WebhookRecord | null> {
    const set: Record<string, unknown> = {};
    if (changes.url !== undefined) set.url = changes.url;
    if (changes.event_types !== undefined) set.event_types = JSON.stringify(changes.event_types);
    if (changes.description !== undefined) set.description = changes.description;
    if (Object.keys(set).length > 0) await this.db.updateTable('webhooks').set(set).where('id', '=', id).execute();
    if (changes.enabled === false) {
      await this.db.updateTable('webhooks').set({ enabled: 0, disabled_reason: 'owner', disabled_at: new Date(now).toISOString() }).where('id', '=', id).where('enabled', '=', 1).execute();
    }
    if (changes.enabled === true) {
      const enabled = await this.db
        .updateTable('webhooks')
        .set({ enabled: 1, disabled_reason: null, disabled_at: null, failing_since: null })
        .where('id', '=', id)
        .where('enabled', '=', 0)
        .executeTakeFirst();
      // Every lane tries its head again now, with a fresh count of failures.
      if (Number(enabled.numUpdatedRows) > 0) await this.db.updateTable('webhook_lanes').set({ next_attempt_at: now, attempts: 0, head_failing_since: null }).where('webhook_id', '=', id).execute();
    }
    return this.find(id);
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
    // Writes first, each on its own (see update()): one more attempt beside the lane, for a delivery that is not its lane's head.
    const queued = await this.db
      .updateTable('webhook_deliveries')
      .set({ redeliver_requested_at: now, redeliver_lease_until: null })
      .where('id', '=', deliveryId)
      .where('webhook_id', '=', webhookId)
      .where('status', '!=', 'retrying')
      .returning(DELIVERY_COLUMNS)
      .executeTakeFirst();
    if (queued) return toDelivery(queued);
    // The lane's head, retrying: its lane tries it now, in order, rather than a copy beside it.
    const head = await this.db
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: now })
      .where('id', '=', deliveryId)
      .where('webhook_id', '=', webhookId)
      .where('status', '=', 'retrying')
      .returning(DELIVERY_COLUMNS)
      .executeTakeFirst();
    if (!head) return null;
    await this.db.updateTable('webhook_lanes').set({ next_attempt_at: now }).where('webhook_id', '=', webhookId).where('conversation_id', '=', head.conversation_id).execute();
    return toDelivery(head);
  }
}
