/**
 * Push subscriptions on Kysely, both dialects (migration 0015). Each write transaction starts
 * with a write, so on SQLite it holds the write lock from its first statement (a read first
 * could not be upgraded once another connection wrote).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { PushSubscriptionRecord, PushSubscriptionRepository, SubscribeOutcome } from '../../domain/ports/push-repository.js';
import type { Dialect } from '../dialect.js';
import { toIso, toIsoOrNull } from '../rows.js';
import type { Database } from '../schema.js';
import { isUniqueViolation } from '../sql-errors.js';
import { serverSecret } from './server-secrets.js';

type Row = Omit<PushSubscriptionRecord, 'created_at' | 'expires_at'> & { created_at: Date | string; expires_at: Date | string | null };

const toRecord = (row: Row): PushSubscriptionRecord => ({ ...row, created_at: toIso(row.created_at), expires_at: toIsoOrNull(row.expires_at) });

/** Thrown inside the transaction to roll it back (the moved endpoint's removal included) when the user is at the limit. */
class AtLimit extends Error {}

export class KyselyPushSubscriptionRepository implements PushSubscriptionRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async subscribe(subscription: PushSubscriptionRecord, max: number): Promise<SubscribeOutcome> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.db.transaction().execute((trx) => this.subscribeIn(trx, subscription, max));
      } catch (error) {
        if (error instanceof AtLimit) return { kind: 'limit' };
        // Two posts of one endpoint at once: the second sees the first's row when it tries again.
        if (attempt === 0 && isUniqueViolation(error)) continue;
        throw error;
      }
    }
  }

  private async subscribeIn(trx: Transaction<Database>, s: PushSubscriptionRecord, max: number): Promise<SubscribeOutcome> {
    const mine = await trx
      .updateTable('push_subscriptions')
      .set({ p256dh: s.p256dh, auth: s.auth, expires_at: s.expires_at })
      .where('endpoint', '=', s.endpoint)
      .where('user_id', '=', s.user_id)
      .returningAll()
      .executeTakeFirst();
    if (mine) return { kind: 'existing', subscription: toRecord(mine) };
    // A browser profile that changed hands: the endpoint leaves its former user, pending pushes and all.
    await trx.deleteFrom('push_subscriptions').where('endpoint', '=', s.endpoint).execute();
    // One subscribe per user at a time on PostgreSQL, so two at once cannot both pass the count: an
    // advisory lock, not the user's row, which joins and leaves update (their user_seq) while
    // holding member rows this transaction's trigger updates, a deadlock in the making.
    if (this.dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${`pneumatic push subscribe ${s.user_id}`}))`.execute(trx);
    const { count } = await trx
      .selectFrom('push_subscriptions')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .where('user_id', '=', s.user_id)
      .executeTakeFirstOrThrow();
    if (Number(count) >= max) throw new AtLimit();
    const created = await trx.insertInto('push_subscriptions').values(s).returningAll().executeTakeFirstOrThrow();
    return { kind: 'created', subscription: toRecord(created) };
  }

  async listForUser(userId: string): Promise<PushSubscriptionRecord[]> {
    const rows = await this.db.selectFrom('push_subscriptions').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toRecord);
  }

  async any(): Promise<boolean> {
    return (await this.db.selectFrom('push_subscriptions').select('id').limit(1).executeTakeFirst()) !== undefined;
  }

  async remove(userId: string, id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('push_subscriptions').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  secret(name: string, generated: string): Promise<string> {
    return serverSecret(this.db, name, generated);
  }
}
