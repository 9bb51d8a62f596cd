/** Invite links on Kysely, both dialects (migration 0021). */
import type { Kysely } from 'kysely';
import type { Invite } from '@pneumatic/protocol';
import type { InviteRefusal, InviteRepository, NewInvite } from '../../domain/ports/invite-repository.js';
import { toIso } from '../rows.js';
import type { Database } from '../schema.js';

const COLUMNS = ['id', 'created_by', 'created_at', 'expires_at', 'max_uses', 'uses'] as const;

type InviteRow = { id: string; created_by: string; created_at: Date | string; expires_at: Date | string; max_uses: number; uses: number };

function toInvite(row: InviteRow): Invite {
  return { id: row.id, created_by: row.created_by, created_at: toIso(row.created_at), expires_at: toIso(row.expires_at), max_uses: Number(row.max_uses), uses: Number(row.uses) };
}

export class KyselyInviteRepository implements InviteRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(invite: NewInvite): Promise<Invite> {
    const row = await this.db.insertInto('invites').values(invite).returning(COLUMNS).executeTakeFirstOrThrow();
    return toInvite(row);
  }

  async listFor(userId: string, now: string): Promise<Invite[]> {
    const rows = await this.db
      .selectFrom('invites')
      .select(COLUMNS)
      .where('created_by', '=', userId)
      .where('expires_at', '>', now)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toInvite);
  }

  async revoke(id: string, userId: string): Promise<boolean> {
    const rows = await this.db.deleteFrom('invites').where('id', '=', id).where('created_by', '=', userId).returning('id').execute();
    return rows.length > 0;
  }

  async claim(tokenHash: string, now: string): Promise<{ id: string } | { refused: InviteRefusal }> {
    // One conditional write: two sign-ups racing for the last use cannot both get it.
    const claimed = await this.db
      .updateTable('invites')
      .set((eb) => ({ uses: eb('uses', '+', 1) }))
      .where('token_hash', '=', tokenHash)
      .where('expires_at', '>', now)
      .where((eb) => eb('uses', '<', eb.ref('max_uses')))
      .returning('id')
      .executeTakeFirst();
    if (claimed) return { id: claimed.id };
    const found = await this.db.selectFrom('invites').select(['expires_at', 'uses', 'max_uses']).where('token_hash', '=', tokenHash).executeTakeFirst();
    if (!found) return { refused: 'unknown' };
    return { refused: toIso(found.expires_at) <= now ? 'expired' : 'used_up' };
  }

  async release(id: string): Promise<void> {
    await this.db.updateTable('invites').set((eb) => ({ uses: eb('uses', '-', 1) })).where('id', '=', id).where('uses', '>', 0).execute();
  }
}
