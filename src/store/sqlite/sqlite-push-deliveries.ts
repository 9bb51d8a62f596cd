/**
 * The sending side of the push queue on SQLite, in prepared statements run synchronously (see
 * sqlite-push-outbox.ts for why). Same rules as the Kysely one (push/push-deliveries.ts): a claim
 * leases due rows, at most what each push service may take now; outcomes match a row by its
 * lease (a delivered one by its id too), so a stale claim changes nothing it no longer owns.
 */
import type SQLite from 'better-sqlite3';
import type { DeliveryOutcome, DueDelivery, OriginCapacity } from '../../domain/ports/push-repository.js';
import { CANDIDATES_PER_SLOT, dueDelivery, withinCapacity, type DueDeliveryRow } from '../push/push-rows.js';

type Settled = { delivery: DueDelivery; outcome: DeliveryOutcome };
/** Pending, due and not leased: `prefix` is the table's alias with its dot, or nothing. */
const due = (prefix = '') => `${prefix}pending = 1 and ${prefix}next_attempt_at <= @now and (${prefix}lease_until is null or ${prefix}lease_until <= @now)`;
const ROW = 'subscription_id = @subscription_id and conversation_id = @conversation_id';

export function sqlitePushDeliveries(db: SQLite.Database) {
  const candidates = db.prepare<{ now: number; limit: number; full: string }, { subscription_id: string; conversation_id: string; origin: string }>(
    'select d.subscription_id, d.conversation_id, s.origin from push_deliveries d join push_subscriptions s on s.id = d.subscription_id ' +
      `where ${due('d.')} and s.origin not in (select value from json_each(@full)) order by d.next_attempt_at limit @limit`,
  );
  const lease = db.prepare(`update push_deliveries set lease_until = @leaseUntil, attempts = attempts + 1 where ${ROW} and ${due()}`);
  const details = db.prepare<{ subscription_id: string; conversation_id: string; leaseUntil: number }, DueDeliveryRow>(
    'select d.id, d.subscription_id, d.conversation_id, d.message_id, d.mention, d.urgent, d.preview, d.attempts, d.queued_at, ' +
      's.user_id, s.endpoint, s.origin, s.p256dh, s.auth, s.expires_at, m.seq, m.content, m.sender_id, m.created_at, m.deleted_at, m.thread_root_id, ' +
      'c.title, u.username from push_deliveries d join push_subscriptions s on s.id = d.subscription_id ' +
      'left join messages m on m.message_id = d.message_id left join conversations c on c.id = d.conversation_id left join users u on u.id = m.sender_id ' +
      'where d.subscription_id = @subscription_id and d.conversation_id = @conversation_id and d.lease_until = @leaseUntil',
  );
  const removeSubscription = db.prepare<[string]>('delete from push_subscriptions where id = ?');
  const retry = db.prepare(`update push_deliveries set lease_until = null, next_attempt_at = @at, last_error = @error where ${ROW} and lease_until = @lease`);
  // Done: the row stays as the conversation's high-water mark, no longer pending, and its
  // next_attempt_at says when the next push of the conversation may go (the collapse window).
  const done = db.prepare(
    `update push_deliveries set pending = 0, lease_until = null, attempts = 0, next_attempt_at = @next, last_error = @error where ${ROW} and id = @id`,
  );
  // Whatever replaced it meanwhile (still under this lease) goes next, when the window ends.
  const releaseReplacement = db.prepare(
    `update push_deliveries set lease_until = null, attempts = 0, next_attempt_at = @next, last_error = null where ${ROW} and lease_until = @lease and pending = 1`,
  );

  const leaseAll = db.transaction((wanted: ReadonlyArray<{ subscription_id: string; conversation_id: string }>, now: number, leaseUntil: number) =>
    wanted.filter((w) => lease.run({ subscription_id: w.subscription_id, conversation_id: w.conversation_id, now, leaseUntil }).changes === 1),
  );

  const settleAll = db.transaction((outcomes: readonly Settled[], nextPushAt: number) => {
    for (const { delivery: d, outcome } of outcomes) {
      const key = { subscription_id: d.subscription_id, conversation_id: d.conversation_id };
      if (outcome.kind === 'gone') removeSubscription.run(d.subscription_id);
      else if (outcome.kind === 'retry') retry.run({ ...key, lease: d.lease_until, at: outcome.at, error: outcome.error });
      else {
        done.run({ ...key, id: d.id, next: nextPushAt, error: outcome.kind === 'dropped' ? outcome.error : null });
        releaseReplacement.run({ ...key, lease: d.lease_until, next: nextPushAt });
      }
    }
  });

  return {
    claimDue(limit: number, now: number, leaseUntil: number, capacity: OriginCapacity): DueDelivery[] {
      const due = candidates.all({ now, limit: limit * CANDIDATES_PER_SLOT, full: JSON.stringify(capacity.full) });
      const wanted = withinCapacity(due, limit, (origin) => capacity.of(origin));
      if (wanted.length === 0) return [];
      const claimed = leaseAll.immediate(wanted, now, leaseUntil);
      return claimed.flatMap((c) => details.all({ subscription_id: c.subscription_id, conversation_id: c.conversation_id, leaseUntil }).map((r) => dueDelivery(r, leaseUntil)));
    },

    settle(outcomes: readonly Settled[], nextPushAt: number): void {
      if (outcomes.length > 0) settleAll.immediate(outcomes, nextPushAt);
    },
  };
}
