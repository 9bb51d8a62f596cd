/**
 * The webhook queue's lanes (docs/architecture.md, "Outgoing webhooks"): opening and closing
 * them as subjects join and leave conversations, and leasing the due ones.
 *
 * A lane exists while the webhook's subject is a member of the conversation. One opened after
 * the webhook was made starts just before the subject's `member.added` event (or at 0 for a
 * conversation made with them in it), so it gets their joining and what follows; one whose
 * subject left is deleted, and nothing after the leaving is sent.
 */
import { sql, type Kysely } from 'kysely';
import type { ClaimedLane, WebhookCapacity } from '../../domain/ports/webhook-repository.js';
import { toIso } from '../rows.js';
import type { Database } from '../schema.js';
import { ms, toTarget } from './webhook-rows.js';

/** Candidate lanes read per slot: some are skipped when their webhook has no slot left. */
const CANDIDATES_PER_SLOT = 4;

const pairs = (rows: readonly { webhook_id: string; conversation_id: string }[]) => sql.join(rows.map((r) => sql`(${r.webhook_id}, ${r.conversation_id})`));

export async function syncLanes(db: Kysely<Database>, now: number): Promise<Set<string>> {
  await db
    .deleteFrom('webhook_lanes as l')
    .where(({ exists, selectFrom, not }) =>
      not(
        exists(
          selectFrom('webhooks as w')
            .innerJoin('members as m', (join) => join.onRef('m.user_id', '=', 'w.subject_user_id'))
            .select(sql`1`.as('one'))
            .whereRef('w.id', '=', 'l.webhook_id')
            .whereRef('m.conversation_id', '=', 'l.conversation_id'),
        ),
      ),
    )
    .execute();
  const missing = await db
    .selectFrom('webhooks as w')
    .innerJoin('members as m', 'm.user_id', 'w.subject_user_id')
    .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .select(['w.id as webhook_id', 'm.conversation_id', 'w.created_at as webhook_created_at', 'c.created_at as conversation_created_at', 'c.last_event_seq'])
    .select((eb) =>
      eb
        .selectFrom('conversation_events as e')
        .select((e) => e.fn.max('e.event_seq').as('seq'))
        .whereRef('e.conversation_id', '=', 'm.conversation_id')
        .where('e.type', '=', 'member.added')
        .whereRef('e.user_id', '=', 'w.subject_user_id')
        .as('joined_seq'),
    )
    .where((eb) => eb.or([eb('w.conversation_id', 'is', null), eb('w.conversation_id', '=', eb.ref('m.conversation_id'))]))
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('webhook_lanes as l').select(sql`1`.as('one')).whereRef('l.webhook_id', '=', 'w.id').whereRef('l.conversation_id', '=', 'm.conversation_id'))),
    )
    .execute();
  if (missing.length > 0) await openLanes(db, missing, now);
  const covered = await db
    .selectFrom('webhook_lanes as l')
    .innerJoin('webhooks as w', 'w.id', 'l.webhook_id')
    .select('l.conversation_id')
    .distinct()
    .where('w.enabled', '=', 1)
    .execute();
  return new Set(covered.map((row) => row.conversation_id));
}

interface MissingLane {
  webhook_id: string;
  conversation_id: string;
  webhook_created_at: Date | string;
  conversation_created_at: Date | string;
  last_event_seq: number;
  joined_seq: number | string | null;
}

async function openLanes(db: Kysely<Database>, missing: readonly MissingLane[], now: number): Promise<void> {
  const lanes = missing.map((row) => {
    const joined = row.joined_seq === null ? null : Number(row.joined_seq);
    const madeWithSubject = Date.parse(toIso(row.conversation_created_at)) >= Date.parse(toIso(row.webhook_created_at));
    const start = joined !== null ? joined - 1 : madeWithSubject ? 0 : Number(row.last_event_seq);
    return { webhook_id: row.webhook_id, conversation_id: row.conversation_id, delivered_event_seq: start, next_attempt_at: now };
  });
  await db.insertInto('webhook_lanes').values(lanes).onConflict((oc) => oc.doNothing()).execute();
}

export async function claimLanes(db: Kysely<Database>, limit: number, now: number, leaseUntil: number, capacity: WebhookCapacity): Promise<ClaimedLane[]> {
  let query = db
    .selectFrom('webhook_lanes as l')
    .innerJoin('webhooks as w', 'w.id', 'l.webhook_id')
    .innerJoin('conversations as c', 'c.id', 'l.conversation_id')
    .select(['l.webhook_id', 'l.conversation_id'])
    .where('w.enabled', '=', 1)
    .where('l.next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('l.lease_until', 'is', null), eb('l.lease_until', '<=', now)]))
    .whereRef('c.last_event_seq', '>', 'l.delivered_event_seq')
    .orderBy('l.next_attempt_at')
    .limit(limit * CANDIDATES_PER_SLOT);
  if (capacity.full.length > 0) query = query.where('l.webhook_id', 'not in', capacity.full);
  const candidates = await query.execute();
  const taken = new Map<string, number>();
  const wanted = candidates.filter((lane) => {
    const used = taken.get(lane.webhook_id) ?? 0;
    if (used >= capacity.of(lane.webhook_id)) return false;
    taken.set(lane.webhook_id, used + 1);
    return true;
  }).slice(0, limit);
  if (wanted.length === 0) return [];
  const claimed = await db
    .updateTable('webhook_lanes')
    .set({ lease_until: leaseUntil })
    .where(sql<boolean>`(webhook_id, conversation_id) in (${pairs(wanted)})`)
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
    .returning(['webhook_id', 'conversation_id'])
    .execute();
  if (claimed.length === 0) return [];
  const rows = await db
    .selectFrom('webhook_lanes as l')
    .innerJoin('webhooks as w', 'w.id', 'l.webhook_id')
    .select(['l.webhook_id', 'l.conversation_id', 'l.delivered_event_seq', 'l.attempts', 'l.head_failing_since'])
    .select(['w.id', 'w.url', 'w.event_types', 'w.secret', 'w.previous_secret', 'w.previous_secret_until', 'w.failing_since'])
    .where(sql<boolean>`(l.webhook_id, l.conversation_id) in (${pairs(claimed)})`)
    .where('l.lease_until', '=', leaseUntil)
    .execute();
  return rows.map((row) => ({
    webhook_id: row.webhook_id,
    conversation_id: row.conversation_id,
    webhook: toTarget(row, now),
    delivered_event_seq: Number(row.delivered_event_seq),
    attempts: Number(row.attempts),
    head_failing_since: ms(row.head_failing_since),
    lease_until: leaseUntil,
  }));
}
