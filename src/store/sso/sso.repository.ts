/** Single sign-on's storage on Kysely, both dialects (migration 0022). */
import type { Kysely } from 'kysely';
import type { NewUser } from '../../domain/ports/account-repositories.js';
import type { LinkedIdentityRecord, ProviderIdentity, SsoFlow, SsoRepository } from '../../domain/ports/sso-repository.js';
import { insertUser } from '../repositories/user.repository.js';
import { toIso } from '../rows.js';
import type { Database } from '../schema.js';

/** Rolls back an account whose identity another first login linked meanwhile. */
class IdentityTaken extends Error {}

export class KyselySsoRepository implements SsoRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async saveFlow(flow: SsoFlow): Promise<void> {
    await this.db.insertInto('sso_flows').values(flow).execute();
  }

  async takeFlow(stateHash: string, now: string): Promise<SsoFlow | null> {
    // One delete: of two callbacks with the same state, only one gets the row.
    const row = await this.db.deleteFrom('sso_flows').where('state_hash', '=', stateHash).returningAll().executeTakeFirst();
    if (!row || toIso(row.expires_at) <= now) return null;
    return { ...row, expires_at: toIso(row.expires_at) };
  }

  async deleteExpired(now: string): Promise<void> {
    await this.db.deleteFrom('sso_flows').where('expires_at', '<=', now).execute();
    await this.db.deleteFrom('sso_login_codes').where('expires_at', '<=', now).execute();
  }

  async saveLoginCode(codeHash: string, userId: string, expiresAt: string): Promise<void> {
    await this.db.insertInto('sso_login_codes').values({ code_hash: codeHash, user_id: userId, expires_at: expiresAt }).execute();
  }

  async takeLoginCode(codeHash: string, now: string): Promise<string | null> {
    const row = await this.db.deleteFrom('sso_login_codes').where('code_hash', '=', codeHash).returning(['user_id', 'expires_at']).executeTakeFirst();
    return row && toIso(row.expires_at) > now ? row.user_id : null;
  }

  async logIn(identity: ProviderIdentity, at: string): Promise<string | null> {
    const row = await this.db
      .updateTable('user_identities')
      .set({ last_login_at: at, email: identity.email })
      .where('issuer', '=', identity.issuer)
      .where('subject', '=', identity.subject)
      .returning('user_id')
      .executeTakeFirst();
    return row?.user_id ?? null;
  }

  async link(identity: ProviderIdentity, userId: string, at: string): Promise<'linked' | 'already' | 'taken'> {
    // Conflicts on either key (the identity; one identity per provider per account) insert nothing.
    const inserted = await this.db
      .insertInto('user_identities')
      .values({ ...identity, user_id: userId, linked_at: at, last_login_at: null })
      .onConflict((oc) => oc.doNothing())
      .returning('user_id')
      .executeTakeFirst();
    if (inserted) return 'linked';
    const owner = await this.db.selectFrom('user_identities').select('user_id').where('issuer', '=', identity.issuer).where('subject', '=', identity.subject).executeTakeFirst();
    return owner?.user_id === userId ? 'already' : 'taken';
  }

  async createWithIdentity(user: NewUser, identity: ProviderIdentity, at: string): Promise<'created' | 'username_taken' | 'identity_taken'> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        if (!(await insertUser(trx, user))) return 'username_taken';
        const linked = await trx
          .insertInto('user_identities')
          .values({ ...identity, user_id: user.id, linked_at: at, last_login_at: at })
          .onConflict((oc) => oc.doNothing())
          .returning('user_id')
          .executeTakeFirst();
        if (!linked) throw new IdentityTaken();
        return 'created';
      });
    } catch (error) {
      if (error instanceof IdentityTaken) return 'identity_taken';
      throw error;
    }
  }

  async listIdentities(userId: string): Promise<LinkedIdentityRecord[]> {
    const rows = await this.db.selectFrom('user_identities').select(['provider', 'email', 'linked_at', 'last_login_at']).where('user_id', '=', userId).orderBy('linked_at').orderBy('provider').execute();
    return rows.map((r) => ({ provider: r.provider, email: r.email, linked_at: toIso(r.linked_at), last_login_at: r.last_login_at === null ? null : toIso(r.last_login_at) }));
  }

  async unlink(userId: string, provider: string): Promise<'unlinked' | 'not_found' | 'last'> {
    return this.db.transaction().execute(async (trx) => {
      const identities = await trx.selectFrom('user_identities').select('provider').where('user_id', '=', userId).execute();
      if (!identities.some((i) => i.provider === provider)) return 'not_found';
      if (identities.length === 1) {
        const user = await trx.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirst();
        if (user?.password_hash === '') return 'last';
      }
      await trx.deleteFrom('user_identities').where('user_id', '=', userId).where('provider', '=', provider).execute();
      return 'unlinked';
    });
  }
}
