import type { Kysely } from 'kysely';
import type { MemberRole } from '@pneumatic/protocol';
import type { MemberRoleChange } from '../../domain/ports/repositories.js';
import { logEvent, nextEventSeq } from '../change-feed/event-log.js';
import type { Database } from '../schema.js';
import { membersOf } from './conversation-rows.js';

/** Thrown inside the transaction to roll back the event_seq it took; carries what to answer. */
class Unchanged extends Error {
  constructor(readonly outcome: MemberRoleChange) {
    super('role unchanged');
  }
}

/**
 * Sets a member's role, logged as `member.updated`. The conversation's counter row is locked
 * first (nextEventSeq), as by every change to it, so two owners demoting each other at once
 * are serialized and the second sees that it would leave no owner.
 */
export async function setMemberRole(db: Kysely<Database>, conversationId: string, userId: string, role: MemberRole, actorId: string, at: string): Promise<MemberRoleChange> {
  try {
    return await db.transaction().execute(async (trx) => {
      const eventSeq = await nextEventSeq(trx, conversationId);
      if (eventSeq === null) throw new Unchanged(null);
      const current = await trx.selectFrom('members').select('role').where('conversation_id', '=', conversationId).where('user_id', '=', userId).executeTakeFirst();
      if (!current) throw new Unchanged(null);
      const readMember = async () => {
        const member = (await membersOf(trx, [conversationId], userId)).get(conversationId)?.[0];
        if (!member) throw new Error('member vanished inside its own transaction');
        return member;
      };
      if (current.role === role) throw new Unchanged({ outcome: 'unchanged', member: await readMember() });
      if (current.role === 'owner') {
        const otherOwner = await trx
          .selectFrom('members')
          .select('user_id')
          .where('conversation_id', '=', conversationId)
          .where('role', '=', 'owner')
          .where('user_id', '<>', userId)
          .executeTakeFirst();
        if (!otherOwner) throw new Unchanged({ outcome: 'last_owner' });
      }
      await trx.updateTable('members').set({ role }).where('conversation_id', '=', conversationId).where('user_id', '=', userId).execute();
      await logEvent(trx, { conversation_id: conversationId, event_seq: eventSeq, type: 'member.updated', actor_id: actorId, user_id: userId, created_at: at });
      return { outcome: 'changed' as const, before: current.role, member: await readMember(), event_seq: eventSeq };
    });
  } catch (error) {
    if (error instanceof Unchanged) return error.outcome;
    throw error;
  }
}
