/**
 * The sending side of the push queue (docs/architecture.md, "The push queue"): leasing due
 * deliveries and settling what became of them.
 *
 * A delivery row is keyed by subscription and conversation; `pending` ones are to send, the others
 * are the last push sent (migration 0015). A lease (`lease_until`) marks one in flight; while it
 * is, a newer message may replace its message and id (push-outbox.ts) but not its lease, so the
 * replacement waits for the send in flight, which releases it when it settles: one push in
 * flight per subscription and conversation, and the rest fold into the next one.
 * Outcomes match the row by its lease (and a delivered one by its id too), so a stale claim, one
 * whose lease ran out and was taken again, changes nothing it no longer owns.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DeliveryOutcome, DueDelivery, OriginCapacity } from '../../domain/ports/push-repository.js';
import type { Database } from '../schema.js';
import { CANDIDATES_PER_SLOT, dueDelivery, withinCapacity } from './push-rows.js';

const pairs = (rows: readonly { subscription_id: string; conversation_id: string }[]) =>
  sql.join(rows.map((r) => sql`(${r.subscription_id}, ${r.conversation_id})`));

export async function claimDue(db: Kysely<Database>, limit: number, now: number, leaseUntil: number, capacity: OriginCapacity): Promise<DueDelivery[]> {
  let query = db
    .selectFrom('push_deliveries as d')
    .innerJoin('push_subscriptions as s', 's.id', 'd.subscription_id')
    .select(['d.subscription_id', 'd.conversation_id', 's.origin'])
    .where('d.pending', '=', 1)
    .where('d.next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('d.lease_until', 'is', null), eb('d.lease_until', '<=', now)]))
    .orderBy('d.next_attempt_at')
    .limit(limit * CANDIDATES_PER_SLOT);
  if (capacity.full.length > 0) query = query.where('s.origin', 'not in', capacity.full);
  const candidates = await query.execute();
  const wanted = withinCapacity(candidates, limit, (origin) => capacity.of(origin));
  if (wanted.length === 0) return [];
  const claimed = await db
    .updateTable('push_deliveries')
    .set((eb) => ({ lease_until: leaseUntil, attempts: eb('attempts', '+', 1) }))
    .where(sql<boolean>`(subscription_id, conversation_id) in (${pairs(wanted)})`)
    .where('pending', '=', 1)
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
    .returning(['subscription_id', 'conversation_id'])
    .execute();
  if (claimed.length === 0) return [];
  const rows = await db
    .selectFrom('push_deliveries as d')
    .innerJoin('push_subscriptions as s', 's.id', 'd.subscription_id')
    .leftJoin('messages as m', 'm.message_id', 'd.message_id')
    .leftJoin('conversations as c', 'c.id', 'd.conversation_id')
    .leftJoin('users as u', 'u.id', 'm.sender_id')
    .select(['d.id', 'd.subscription_id', 'd.conversation_id', 'd.message_id', 'd.mention', 'd.urgent', 'd.preview', 'd.attempts', 'd.queued_at'])
    .select(['s.user_id', 's.endpoint', 's.origin', 's.p256dh', 's.auth', 's.expires_at'])
    .select(['m.seq', 'm.content', 'm.sender_id', 'm.created_at', 'm.deleted_at', 'm.thread_root_id', 'c.title', 'u.username'])
    .where(sql<boolean>`(d.subscription_id, d.conversation_id) in (${pairs(claimed)})`)
    .where('d.lease_until', '=', leaseUntil)
    .execute();
  return rows.map((r) => dueDelivery(r, leaseUntil));
}

export async function settle(
  db: Kysely<Database>,
  outcomes: ReadonlyArray<{ delivery: DueDelivery; outcome: DeliveryOutcome }>,
  now: number,
  nextPushAt: number,
): Promise<void> {
  if (outcomes.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const { delivery, outcome } of outcomes) await settleOne(trx, delivery, outcome, now, nextPushAt);
  });
}

async function settleOne(trx: Transaction<Database>, d: DueDelivery, outcome: DeliveryOutcome, now: number, nextPushAt: number): Promise<void> {
  const mine = trx
    .updateTable('push_deliveries')
    .where('subscription_id', '=', d.subscription_id)
    .where('conversation_id', '=', d.conversation_id)
    .where('lease_until', '=', d.lease_until);
  switch (outcome.kind) {
    case 'gone':
      await trx.deleteFrom('push_subscriptions').where('id', '=', d.subscription_id).execute();
      return;
    case 'retry':
      // A replacement queued meanwhile is due no sooner: the service is failing either way.
      await mine.set({ lease_until: null, next_attempt_at: outcome.at, last_error: outcome.error }).execute();
      return;
    case 'delivered':
    case 'dropped':
      // Done: the row stays as the conversation's high-water mark, no longer pending, and its
      // next_attempt_at says when the next push of the conversation may go (the collapse window).
      await trx
        .updateTable('push_deliveries')
        .set({ pending: 0, lease_until: null, attempts: 0, next_attempt_at: nextPushAt, last_error: outcome.kind === 'dropped' ? outcome.error : null })
        .where('subscription_id', '=', d.subscription_id)
        .where('conversation_id', '=', d.conversation_id)
        .where('id', '=', d.id)
        .execute();
      // Whatever replaced it meanwhile (still under this lease) goes next, when the window ends.
      await mine.where('pending', '=', 1).set({ lease_until: null, attempts: 0, next_attempt_at: nextPushAt, last_error: null }).execute();
  }
}
