/**
 * The outbox side of the push queue on SQLite, in prepared statements run synchronously: the
 * push thread's implementation (sqlite-push-queue.ts). Same rules as the Kysely one
 * (push/push-outbox.ts): a claim is a lease, read first so an empty outbox costs no write lock;
 * an expansion deletes the claimed rows and writes deliveries only for the rows its deletes
 * removed. The difference is how long the write lock is held: one IMMEDIATE transaction of
 * prepared statements, no query building and no awaits inside it, so the sends the writer
 * thread commits wait behind a millisecond or two rather than a round of query building.
 * Lists cross into SQL as one JSON parameter (json_each), so each statement's text is fixed
 * and prepared once.
 */
import type SQLite from 'better-sqlite3';
import type { OutboxMessage, PushExpansion } from '../../domain/ports/push-repository.js';
import { deliveryRows, groupBy, outboxMessages, type OutboxMessageRow } from '../push/push-rows.js';

const FREE = '(lease_until is null or lease_until <= @now)';

export function sqlitePushOutbox(db: SQLite.Database) {
  const anyFree = db.prepare<{ now: number }>(`select 1 from push_outbox where ${FREE} limit 1`).pluck();
  const lease = db.prepare<{ now: number; limit: number; leaseUntil: number }, { id: number; message_id: string }>(
    `update push_outbox set lease_until = @leaseUntil where id in (select id from push_outbox where ${FREE} order by id limit @limit) returning id, message_id`,
  );
  const messagesOf = db.prepare<[string], OutboxMessageRow>(
    'select message_id, conversation_id, sender_id, seq, mentions, mentions_all, deleted_at from messages where message_id in (select value from json_each(?))',
  );
  const subscribedOf = db.prepare<[string], { conversation_id: string; user_id: string }>(
    'select conversation_id, user_id from members where push_subscribed = 1 and conversation_id in (select value from json_each(?))',
  );
  const sizesOf = db.prepare<[string], { conversation_id: string; count: number }>(
    'select conversation_id, count(*) as count from members where conversation_id in (select value from json_each(?)) group by conversation_id',
  );
  const remove = db.prepare<[string], number>('delete from push_outbox where id in (select value from json_each(?)) returning id').pluck();
  const subscriptionsOf = db.prepare<[string], { id: string; user_id: string }>(
    'select id, user_id from push_subscriptions where user_id in (select value from json_each(?))',
  );
  // A newer message takes the row: a pending push keeps its schedule (attempts, backoff, and the
  // lease of a send in flight, which releases it when it settles) and ORs its flags; a sent one
  // starts afresh, due at once or, within the collapse window of the last push (the sent row's
  // next_attempt_at), when it ends. An older message than the row's changes nothing.
  const upsert = db.prepare(
    'insert into push_deliveries (subscription_id, conversation_id, id, message_id, seq, mention, urgent, preview, queued_at, next_attempt_at) ' +
      'values (@subscription_id, @conversation_id, @id, @message_id, @seq, @mention, @urgent, @preview, @queued_at, @next_attempt_at) ' +
      'on conflict (subscription_id, conversation_id) do update set id = excluded.id, message_id = excluded.message_id, seq = excluded.seq, ' +
      'mention = case when pending = 1 then mention | excluded.mention else excluded.mention end, ' +
      'urgent = case when pending = 1 then urgent | excluded.urgent else excluded.urgent end, ' +
      'preview = excluded.preview, queued_at = excluded.queued_at, attempts = case when pending = 1 then attempts else 0 end, ' +
      'next_attempt_at = case when pending = 1 then next_attempt_at else max(next_attempt_at, excluded.next_attempt_at) end, ' +
      'last_error = case when pending = 1 then last_error end, pending = 1 ' +
      'where push_deliveries.seq < excluded.seq',
  );

  const writeExpansions = db.transaction((expansions: readonly PushExpansion[], now: number): number => {
    const removed = new Set(remove.all(JSON.stringify(expansions.map((e) => Number(e.outbox_id)))));
    const kept = expansions.filter((e) => removed.has(Number(e.outbox_id)) && e.recipients.length > 0);
    const users = [...new Set(kept.flatMap((e) => e.recipients.map((r) => r.user_id)))];
    if (users.length === 0) return 0;
    const subscriptions = subscriptionsOf.all(JSON.stringify(users));
    const rows = deliveryRows(kept, groupBy(subscriptions.map((s) => [s.user_id, s.id])), now);
    for (const row of rows) upsert.run(row);
    return rows.length;
  });

  return {
    claimOutbox(limit: number, now: number, leaseUntil: number): OutboxMessage[] {
      if (anyFree.get({ now }) === undefined) return [];
      const claimed = lease.all({ now, limit, leaseUntil });
      if (claimed.length === 0) return [];
      const messages = messagesOf.all(JSON.stringify(claimed.map((c) => c.message_id)));
      const conversations = JSON.stringify([...new Set(messages.map((m) => m.conversation_id))]);
      const subscribed = groupBy(subscribedOf.all(conversations).map((m) => [m.conversation_id, m.user_id]));
      const sizes = new Map(sizesOf.all(conversations).map((c) => [c.conversation_id, c.count]));
      return outboxMessages(claimed, messages, subscribed, sizes);
    },

    expand(expansions: readonly PushExpansion[], now: number): number {
      return expansions.length === 0 ? 0 : writeExpansions.immediate(expansions, now);
    },
  };
}
