/**
 * The webhook queue (WebhookQueue) on Kysely, both dialects: lanes (webhook-lanes.ts), what
 * becomes of each attempt, redeliveries asked for through the API, and the log's pruning.
 * Every write that follows a claim matches the lane by its lease, so a claim whose lease ran out
 * and was taken by another process changes nothing it no longer owns.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { AttemptRecord, ClaimedLane, ClaimedRedelivery, FailedHead, LaneProgress, WebhookCapacity, WebhookQueue } from '../../domain/ports/webhook-repository.js';
import type { Database } from '../schema.js';
import { claimLanes, syncLanes } from './webhook-lanes.js';
import { toTarget } from './webhook-rows.js';

type Writer = Kysely<Database> | Transaction<Database>;

/** Log rows per statement: 13 parameters each, far below SQLite's 32,766. */
const LOG_ROWS_PER_STATEMENT = 500;

/** Inserts the attempts' log rows, or counts one more attempt on rows there already; one statement per 500. */
async function logAttempts(db: Writer, attempts: ReadonlyArray<{ attempt: AttemptRecord; status: string; next_attempt_at: number | null }>): Promise<void> {
  for (let start = 0; start < attempts.length; start += LOG_ROWS_PER_STATEMENT) {
    await db
      .insertInto('webhook_deliveries')
      .values(
        attempts.slice(start, start + LOG_ROWS_PER_STATEMENT).map(({ attempt, status, next_attempt_at }) => ({
          id: attempt.delivery_id,
          webhook_id: attempt.webhook_id,
          conversation_id: attempt.conversation_id,
          event_seq: attempt.event_seq,
          event_type: attempt.event_type,
          status,
          attempts: 1,
          response_status: attempt.response_status,
          error: attempt.error,
          latency_ms: attempt.latency_ms,
          created_at: attempt.at,
          last_attempt_at: attempt.at,
          next_attempt_at,
        })),
      )
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          attempts: sql<number>`webhook_deliveries.attempts + 1`,
          response_status: eb.ref('excluded.response_status'),
          error: eb.ref('excluded.error'),
          latency_ms: eb.ref('excluded.latency_ms'),
          last_attempt_at: eb.ref('excluded.last_attempt_at'),
          next_attempt_at: eb.ref('excluded.next_attempt_at'),
        })),
      )
      .execute();
  }
}

const delivered = (attempts: readonly AttemptRecord[]) => attempts.map((attempt) => ({ attempt, status: 'delivered', next_attempt_at: null }));

export class KyselyWebhookQueue implements WebhookQueue {
  constructor(private readonly db: Kysely<Database>) {}

  async any(): Promise<boolean> {
    return (await this.db.selectFrom('webhooks').select('id').limit(1).executeTakeFirst()) !== undefined;
  }

  syncLanes(now: number): Promise<Set<string>> {
    return syncLanes(this.db, now);
  }

  claimLanes(limit: number, now: number, leaseUntil: number, capacity: WebhookCapacity): Promise<ClaimedLane[]> {
    return claimLanes(this.db, limit, now, leaseUntil, capacity);
  }

  async advanceMany(progress: readonly LaneProgress[]): Promise<boolean[]> {
    return this.db.transaction().execute(async (tx) => {
      const held: boolean[] = [];
      const succeeded: AttemptRecord[] = [];
      for (const { lane, cursor, delivered: attempts, leaseUntil } of progress) {
        const moved = await tx
          .updateTable('webhook_lanes')
          .set({ delivered_event_seq: cursor, attempts: 0, head_failing_since: null, lease_until: leaseUntil })
          .where('webhook_id', '=', lane.webhook_id)
          .where('conversation_id', '=', lane.conversation_id)
          .where('lease_until', '=', lane.lease_until)
          .executeTakeFirst();
        const ok = Number(moved.numUpdatedRows) > 0;
        held.push(ok);
        if (ok) succeeded.push(...attempts);
      }
      await this.succeeded(tx, succeeded);
      return held;
    });
  }

  async fail(lane: ClaimedLane, cursor: number, failed: FailedHead): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const { attempt } = failed;
      const givenUp = failed.next_attempt_at === null;
      const moved = await tx
        .updateTable('webhook_lanes')
        .set(
          givenUp
            ? { delivered_event_seq: attempt.event_seq, attempts: 0, head_failing_since: null, next_attempt_at: attempt.at, lease_until: null }
            : { delivered_event_seq: cursor, attempts: lane.attempts + 1, head_failing_since: lane.head_failing_since ?? attempt.at, next_attempt_at: failed.next_attempt_at!, lease_until: null },
        )
        .where('webhook_id', '=', lane.webhook_id)
        .where('conversation_id', '=', lane.conversation_id)
        .where('lease_until', '=', lane.lease_until)
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) === 0) return;
      await logAttempts(tx, [{ attempt, status: givenUp ? 'failed' : 'retrying', next_attempt_at: failed.next_attempt_at }]);
      const at = new Date(attempt.at).toISOString();
      await tx
        .updateTable('webhooks')
        .set({
          failing_since: sql<string>`coalesce(failing_since, ${at})`,
          ...(failed.disable ? { enabled: 0, disabled_reason: 'failing', disabled_at: at } : {}),
        })
        .where('id', '=', lane.webhook_id)
        .execute();
    });
  }

  async claimRedeliveries(limit: number, now: number, leaseUntil: number): Promise<ClaimedRedelivery[]> {
    const due = await this.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('redeliver_requested_at', 'is not', null)
      .where((eb) => eb.or([eb('redeliver_lease_until', 'is', null), eb('redeliver_lease_until', '<=', now)]))
      .orderBy('redeliver_requested_at')
      .limit(limit)
      .execute();
    if (due.length === 0) return [];
    const claimed = await this.db
      .updateTable('webhook_deliveries')
      .set({ redeliver_lease_until: leaseUntil })
      .where('id', 'in', due.map((d) => d.id))
      .where('redeliver_requested_at', 'is not', null)
      .where((eb) => eb.or([eb('redeliver_lease_until', 'is', null), eb('redeliver_lease_until', '<=', now)]))
      .returning('id')
      .execute();
    if (claimed.length === 0) return [];
    const rows = await this.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
      .select(['d.id as delivery_id', 'd.conversation_id', 'd.event_seq', 'd.event_type', 'd.attempts'])
      .select(['w.id', 'w.url', 'w.event_types', 'w.secret', 'w.previous_secret', 'w.previous_secret_until', 'w.failing_since'])
      .where('d.id', 'in', claimed.map((c) => c.id))
      .execute();
    return rows.map((row) => ({
      id: row.delivery_id,
      webhook: toTarget(row, now),
      conversation_id: row.conversation_id,
      event_seq: Number(row.event_seq),
      event_type: row.event_type,
      attempts: Number(row.attempts),
      lease_until: leaseUntil,
    }));
  }

  async settleRedelivery(redelivery: ClaimedRedelivery, attempt: AttemptRecord): Promise<void> {
    await this.db
      .updateTable('webhook_deliveries')
      .set((eb) => ({
        status: attempt.ok ? 'delivered' : 'failed',
        attempts: eb('attempts', '+', 1),
        response_status: attempt.response_status,
        error: attempt.error,
        latency_ms: attempt.latency_ms,
        last_attempt_at: attempt.at,
        next_attempt_at: null,
        redeliver_requested_at: null,
        redeliver_lease_until: null,
      }))
      .where('id', '=', redelivery.id)
      .where('redeliver_lease_until', '=', redelivery.lease_until)
      .execute();
  }

  async pruneLog(before: number): Promise<number> {
    const result = await this.db.deleteFrom('webhook_deliveries').where('created_at', '<', before).where('status', '!=', 'retrying').executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Logs delivered attempts and marks their webhooks working again, in two statements for the whole batch. */
  private async succeeded(tx: Writer, attempts: readonly AttemptRecord[]): Promise<void> {
    if (attempts.length === 0) return;
    await logAttempts(tx, delivered(attempts));
    const at = new Date(Math.max(...attempts.map((a) => a.at))).toISOString();
    const webhooks = [...new Set(attempts.map((a) => a.webhook_id))];
    await tx.updateTable('webhooks').set({ failing_since: null, last_success_at: at }).where('id', 'in', webhooks).execute();
  }
}
