/**
 * Message removals (migration 0027). Each statement here is one short write or read, no
 * transaction: a claim is one conditional update (free or expired lease → this holder), and
 * every later write of a job names its holder, so a process whose lease was taken over changes
 * nothing. The messages themselves are deleted through MessageService, one ordinary delete each.
 */
import type { MessageRemoval } from '@pneumatic/protocol';
import { sql, type ExpressionBuilder, type Kysely, type Selectable } from 'kysely';
import type {
  ClaimedRemoval,
  MessageRemovalFilter,
  MessageRemovalRepository,
  NewMessageRemoval,
  RemovableMessage,
  RemovalCursor,
} from '../../domain/ports/message-removal-repository.js';
import { toIso, toIsoOrNull } from '../rows.js';
import type { Database } from '../schema.js';
import type { MessageRemovalsTable } from './admin-tables.js';

type Row = Selectable<MessageRemovalsTable>;

/** Jobs looked at per claim: the first still free is taken. */
const CLAIM_CANDIDATES = 5;

function toRemoval(row: Row): MessageRemoval {
  const removal: MessageRemoval = {
    id: row.id,
    user_id: row.user_id,
    requested_by: row.requested_by,
    from: toIsoOrNull(row.from_at),
    to: toIsoOrNull(row.to_at),
    status: row.status,
    removed: Number(row.removed),
    total: Number(row.total),
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
    finished_at: toIsoOrNull(row.finished_at),
  };
  return row.status === 'failed' && row.error !== null ? { ...removal, error: row.error } : removal;
}

function toClaimed(row: Row): ClaimedRemoval {
  const cursor = row.cursor_created_at !== null && row.cursor_message_id !== null ? { created_at: toIso(row.cursor_created_at), message_id: row.cursor_message_id } : null;
  return { removal: toRemoval(row), bound_at: toIso(row.bound_at), cursor };
}

/** Free: nobody holds it, or the holder let it expire (crashed, or stopped without releasing). */
function leaseFree(now: string) {
  return (eb: ExpressionBuilder<Database, 'message_removals'>) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]);
}

export class KyselyMessageRemovalRepository implements MessageRemovalRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(job: NewMessageRemoval): Promise<MessageRemoval> {
    const { count } = await this.windowQuery(job.user_id, job.from, job.bound_at)
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .executeTakeFirstOrThrow();
    const row = await this.db
      .insertInto('message_removals')
      .values({
        id: job.id,
        user_id: job.user_id,
        requested_by: job.requested_by,
        from_at: job.from,
        to_at: job.to,
        bound_at: job.bound_at,
        total: Number(count),
        created_at: job.created_at,
        updated_at: job.created_at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRemoval(row);
  }

  async findById(id: string): Promise<MessageRemoval | null> {
    const row = await this.db.selectFrom('message_removals').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRemoval(row) : null;
  }

  async list(filter: MessageRemovalFilter): Promise<MessageRemoval[]> {
    let query = this.db.selectFrom('message_removals').selectAll();
    if (filter.user_id) query = query.where('user_id', '=', filter.user_id);
    const before = filter.before;
    if (before) query = query.where((eb) => eb.or([eb('created_at', '<', before.created_at), eb.and([eb('created_at', '=', before.created_at), eb('id', '<', before.id)])]));
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
    return rows.map(toRemoval);
  }

  async claim(holder: string, now: string, leaseUntil: string): Promise<ClaimedRemoval | null> {
    const candidates = await this.db
      .selectFrom('message_removals')
      .select('id')
      .where('status', '=', 'running')
      .where(leaseFree(now))
      .orderBy('created_at')
      .orderBy('id')
      .limit(CLAIM_CANDIDATES)
      .execute();
    for (const { id } of candidates) {
      // The same condition again: of processes claiming at once, one update matches.
      const row = await this.db
        .updateTable('message_removals')
        .set({ lease_holder: holder, lease_until: leaseUntil })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .where(leaseFree(now))
        .returningAll()
        .executeTakeFirst();
      if (row) return toClaimed(row);
    }
    return null;
  }

  async renew(id: string, holder: string, leaseUntil: string): Promise<boolean> {
    const result = await this.held(id, holder).set({ lease_until: leaseUntil }).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async nextBatch(job: ClaimedRemoval, limit: number): Promise<RemovableMessage[]> {
    let query = this.windowQuery(job.removal.user_id, job.removal.from, job.bound_at);
    const cursor = job.cursor;
    if (cursor) {
      query = query.where((eb) =>
        eb.or([eb('created_at', '>', cursor.created_at), eb.and([eb('created_at', '=', cursor.created_at), eb('message_id', '>', cursor.message_id)])]),
      );
    }
    const rows = await query
      .select(['message_id', 'conversation_id', 'created_at', 'attachments'])
      .orderBy('created_at')
      .orderBy('message_id')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ message_id: row.message_id, conversation_id: row.conversation_id, created_at: toIso(row.created_at), has_attachments: row.attachments !== '[]' }));
  }

  async advance(id: string, holder: string, progress: { removed: number; cursor: RemovalCursor; at: string; leaseUntil: string }): Promise<boolean> {
    const result = await this.held(id, holder)
      .set({
        removed: sql`removed + ${progress.removed}`,
        cursor_created_at: progress.cursor.created_at,
        cursor_message_id: progress.cursor.message_id,
        lease_until: progress.leaseUntil,
        updated_at: progress.at,
        // A batch went through: earlier failed attempts were passing trouble.
        failures: 0,
      })
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async finish(id: string, holder: string, progress: { removed: number; at: string }): Promise<MessageRemoval | null> {
    const row = await this.held(id, holder)
      .set({ status: 'done', removed: sql`removed + ${progress.removed}`, updated_at: progress.at, finished_at: progress.at, lease_holder: null, lease_until: null })
      .returningAll()
      .executeTakeFirst();
    return row ? toRemoval(row) : null;
  }

  async failAttempt(id: string, holder: string, failure: { at: string; retryAt: string; error: string; maxFailures: number }): Promise<MessageRemoval | null> {
    const counted = await this.held(id, holder).set({ failures: sql`failures + 1`, updated_at: failure.at }).returning('failures').executeTakeFirst();
    if (!counted) return null;
    const release = Number(counted.failures) >= failure.maxFailures
      ? { status: 'failed' as const, error: failure.error, finished_at: failure.at, lease_holder: null, lease_until: null }
      : { lease_holder: null, lease_until: failure.retryAt };
    const row = await this.held(id, holder).set(release).returningAll().executeTakeFirst();
    return row ? toRemoval(row) : null;
  }

  async release(id: string, holder: string): Promise<void> {
    await this.held(id, holder).set({ lease_holder: null, lease_until: null }).execute();
  }

  /** An update of a running job this holder still holds. */
  private held(id: string, holder: string) {
    return this.db.updateTable('message_removals').where('id', '=', id).where('lease_holder', '=', holder).where('status', '=', 'running');
  }

  /** The user's live messages created in [from, bound): what messages_by_sender (migration 0027) answers. */
  private windowQuery(userId: string, from: string | null, bound: string) {
    let query = this.db.selectFrom('messages').where('sender_id', '=', userId).where('deleted_at', 'is', null).where('created_at', '<', bound);
    if (from !== null) query = query.where('created_at', '>=', from);
    return query;
  }
}
