/**
 * The outbox side of the push queue (docs/architecture.md, "The push queue"): claiming rows the
 * trigger wrote with each message, and expanding them into deliveries.
 *
 * A claim is a lease: a conditional UPDATE of rows that are free, so two processes cannot both
 * take a row (PostgreSQL re-checks the condition after waiting for a row's lock; SQLite has one
 * writer). It is read first, so an empty outbox costs a read, not the write lock. The expansion
 * deletes the claimed rows and writes the deliveries in one transaction, keeping only the rows
 * its DELETE removed: a row another process expanded after this one's lease ran out is not
 * expanded twice.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { OutboxMessage, PushExpansion } from '../../domain/ports/push-repository.js';
import type { Database } from '../schema.js';

export async function claimOutbox(db: Kysely<Database>, limit: number, now: number, leaseUntil: number): Promise<OutboxMessage[]> {
  const free = await db
    .selectFrom('push_outbox')
    .select('id')
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
    .orderBy('id')
    .limit(limit)
    .execute();
  if (free.length === 0) return [];
  const claimed = await db
    .updateTable('push_outbox')
    .set({ lease_until: leaseUntil })
    .where('id', 'in', free.map((r) => r.id))
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
    .returning(['id', 'message_id'])
    .execute();
  if (claimed.length === 0) return [];
  const messages = await db
    .selectFrom('messages')
    .select(['message_id', 'conversation_id', 'sender_id', 'seq', 'mentions', 'mentions_all', 'deleted_at'])
    .where('message_id', 'in', claimed.map((c) => c.message_id))
    .execute();
  const byId = new Map(messages.map((m) => [m.message_id, m]));
  const conversations = [...new Set(messages.map((m) => m.conversation_id))];
  const subscribed = new Map<string, string[]>();
  const sizes = new Map<string, number>();
  if (conversations.length > 0) {
    const members = await db
      .selectFrom('members')
      .select(['conversation_id', 'user_id'])
      .where('conversation_id', 'in', conversations)
      .where('push_subscribed', '=', 1)
      .execute();
    for (const m of members) subscribed.set(m.conversation_id, [...(subscribed.get(m.conversation_id) ?? []), m.user_id]);
    const counts = await db
      .selectFrom('members')
      .select((eb) => ['conversation_id', eb.fn.countAll<number | string>().as('count')])
      .where('conversation_id', 'in', conversations)
      .groupBy('conversation_id')
      .execute();
    for (const c of counts) sizes.set(c.conversation_id, Number(c.count));
  }
  return claimed
    .map((c) => ({ outbox_id: String(c.id), message_id: c.message_id, message: byId.get(c.message_id) }))
    .sort((a, b) => Number(a.outbox_id) - Number(b.outbox_id))
    .map(({ outbox_id, message_id, message: m }) => ({
      outbox_id,
      message_id,
      conversation_id: m?.conversation_id ?? '',
      sender_id: m?.sender_id ?? '',
      seq: m?.seq ?? 0,
      mentions: m ? (JSON.parse(m.mentions) as string[]) : [],
      mentions_all: m?.mentions_all === 1,
      subscribed_member_ids: m ? (subscribed.get(m.conversation_id) ?? []) : [],
      member_count: m ? (sizes.get(m.conversation_id) ?? 0) : 0,
      gone: !m || m.deleted_at !== null,
    }));
}

/** One delivery row per subscription and conversation, the newest message's (flags ORed over the messages it stands for). */
interface DeliveryRow {
  subscription_id: string;
  conversation_id: string;
  id: string;
  message_id: string;
  seq: number;
  mention: number;
  urgent: number;
  preview: number;
  queued_at: number;
  next_attempt_at: number;
}

export async function expand(db: Kysely<Database>, expansions: readonly PushExpansion[], now: number): Promise<number> {
  if (expansions.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom('push_outbox')
      .where('id', 'in', expansions.map((e) => e.outbox_id))
      .returning('id')
      .execute();
    const mine = new Set(removed.map((r) => String(r.id)));
    const kept = expansions.filter((e) => mine.has(e.outbox_id) && e.recipients.length > 0);
    const users = [...new Set(kept.flatMap((e) => e.recipients.map((r) => r.user_id)))];
    if (users.length === 0) return 0;
    const subscriptions = await trx.selectFrom('push_subscriptions').select(['id', 'user_id']).where('user_id', 'in', users).execute();
    const byUser = new Map<string, string[]>();
    for (const s of subscriptions) byUser.set(s.user_id, [...(byUser.get(s.user_id) ?? []), s.id]);
    const rows = new Map<string, DeliveryRow>();
    for (const e of [...kept].sort((a, b) => a.seq - b.seq)) {
      for (const r of e.recipients) {
        for (const subscriptionId of byUser.get(r.user_id) ?? []) {
          const key = `${subscriptionId} ${e.conversation_id}`;
          const before = rows.get(key);
          rows.set(key, {
            subscription_id: subscriptionId,
            conversation_id: e.conversation_id,
            id: randomUUID(),
            message_id: e.message_id,
            seq: e.seq,
            mention: Number(r.mention) | (before?.mention ?? 0),
            urgent: Number(r.urgent) | (before?.urgent ?? 0),
            preview: Number(r.preview),
            queued_at: now,
            next_attempt_at: now,
          });
        }
      }
    }
    if (rows.size === 0) return 0;
    // A newer message takes the row: a pending push keeps its schedule (attempts, backoff, and the
    // lease of a send in flight, which releases it when it settles) and ORs its flags; a sent
    // one starts afresh, due at once or, within the collapse window of the last push (the sent
    // row's next_attempt_at, push-deliveries.ts), when it ends. An older message than the row's
    // changes nothing.
    const wasPending = sql.ref('push_deliveries.pending');
    const ifPending = (old: string, fresh: string) => sql<number>`case when ${wasPending} = 1 then ${sql.raw(old)} else ${sql.raw(fresh)} end`;
    await trx
      .insertInto('push_deliveries')
      .values([...rows.values()])
      .onConflict((oc) =>
        oc
          .columns(['subscription_id', 'conversation_id'])
          .doUpdateSet((eb) => ({
            id: eb.ref('excluded.id'),
            message_id: eb.ref('excluded.message_id'),
            seq: eb.ref('excluded.seq'),
            mention: ifPending('push_deliveries.mention | excluded.mention', 'excluded.mention'),
            urgent: ifPending('push_deliveries.urgent | excluded.urgent', 'excluded.urgent'),
            preview: eb.ref('excluded.preview'),
            queued_at: eb.ref('excluded.queued_at'),
            attempts: ifPending('push_deliveries.attempts', '0'),
            next_attempt_at: ifPending(
              'push_deliveries.next_attempt_at',
              'case when push_deliveries.next_attempt_at > excluded.next_attempt_at then push_deliveries.next_attempt_at else excluded.next_attempt_at end',
            ),
            last_error: sql<string | null>`case when ${wasPending} = 1 then push_deliveries.last_error end`,
            pending: 1,
          }))
          .where((eb) => eb('push_deliveries.seq', '<', eb.ref('excluded.seq'))),
      )
      .execute();
    return rows.size;
  });
}
