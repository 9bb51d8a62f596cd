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
import { sql, type Kysely } from 'kysely';
import type { OutboxMessage, PushExpansion } from '../../domain/ports/push-repository.js';
import type { Database } from '../schema.js';
import { deliveryRows, groupBy, outboxMessages } from './push-rows.js';

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
  const conversations = [...new Set(messages.map((m) => m.conversation_id))];
  if (conversations.length === 0) return outboxMessages(claimed, messages, new Map(), new Map());
  const members = await db
    .selectFrom('members')
    .select(['conversation_id', 'user_id'])
    .where('conversation_id', 'in', conversations)
    .where('push_subscribed', '=', 1)
    .execute();
  const counts = await db
    .selectFrom('members')
    .select((eb) => ['conversation_id', eb.fn.countAll<number | string>().as('count')])
    .where('conversation_id', 'in', conversations)
    .groupBy('conversation_id')
    .execute();
  const sizes = new Map(counts.map((c) => [c.conversation_id, Number(c.count)]));
  return outboxMessages(claimed, messages, groupBy(members.map((m) => [m.conversation_id, m.user_id])), sizes);
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
    const rows = deliveryRows(kept, groupBy(subscriptions.map((s) => [s.user_id, s.id])), now);
    if (rows.length === 0) return 0;
    // A newer message takes the row: a pending push keeps its schedule (attempts, backoff, and the
    // lease of a send in flight, which releases it when it settles) and ORs its flags; a sent
    // one starts afresh, due at once or, within the collapse window of the last push (the sent
    // row's next_attempt_at, push-deliveries.ts), when it ends. An older message than the row's
    // changes nothing.
    const wasPending = sql.ref('push_deliveries.pending');
    const ifPending = (old: string, fresh: string) => sql<number>`case when ${wasPending} = 1 then ${sql.raw(old)} else ${sql.raw(fresh)} end`;
    await trx
      .insertInto('push_deliveries')
      .values(rows)
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
    return rows.length;
  });
}
