/**
 * Job leases (migration 0026): a row per job naming its holder until a time. Taking one is a
 * conditional update, atomic in both databases, so of several processes asking at once exactly
 * one gets it; a holder that crashed loses it when it expires.
 */
import type { Kysely } from 'kysely';
import type { JobLeaseRepository } from '../../domain/ports/retention-repository.js';
import type { Database } from '../schema.js';

export class KyselyJobLeaseRepository implements JobLeaseRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async tryAcquire(name: string, holder: string, now: string, until: string): Promise<boolean> {
    // The row is made expired, so the update below decides who gets it, the first time too.
    await this.db
      .insertInto('job_leases')
      .values({ name, holder: '', expires_at: new Date(0).toISOString() })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const result = await this.db
      .updateTable('job_leases')
      .set({ holder, expires_at: until })
      .where('name', '=', name)
      .where((eb) => eb.or([eb('holder', '=', holder), eb('expires_at', '<=', now)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async release(name: string, holder: string, now: string): Promise<void> {
    await this.db.updateTable('job_leases').set({ expires_at: now }).where('name', '=', name).where('holder', '=', holder).execute();
  }
}
