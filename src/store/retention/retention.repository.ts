/**
 * Retention's storage (docs/API.md, "Retention"). The job deletes a conversation's oldest
 * messages in seq order, a small batch per transaction, so a send waits at most one batch for
 * the write lock. Deleting the rows takes what hangs on them along: reactions, pins, thread
 * positions and attachment links by foreign key (cascade), search entries by trigger (SQLite)
 * or with the row (PostgreSQL's expression indexes); mention marks are deleted here.
 */
import type { Kysely } from 'kysely';
import type { ExpiredBatch, ExpiryAnnouncement, RetentionCandidate, RetentionRepository } from '../../domain/ports/retention-repository.js';
import { changeOrNothing, logEvent, nextEventSeq, NothingChanged } from '../change-feed/event-log.js';
import type { Database } from '../schema.js';
import { readSetting, writeSetting } from './server-settings.js';

const SERVER_DAYS = 'message_retention_days';

export class KyselyRetentionRepository implements RetentionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  serverRetentionDays(): Promise<number | null> {
    return readSetting<number | null>(this.db, SERVER_DAYS, null);
  }

  setServerRetentionDays(days: number | null, at: string): Promise<number | null> {
    return this.db.transaction().execute(async (trx) => {
      // A write first takes SQLite's write lock, so the value read next is the one replaced.
      await trx.updateTable('server_settings').set({ updated_at: at }).where('name', '=', SERVER_DAYS).execute();
      const before = await readSetting<number | null>(trx, SERVER_DAYS, null);
      await writeSetting(trx, SERVER_DAYS, days, at);
      return before;
    });
  }

  async setConversationRetention(conversationId: string, days: number | null, actorId: string, at: string): Promise<{ before: number | null; event_seq: number | null } | null> {
    const current = await this.db.selectFrom('conversations').select('retention_days').where('id', '=', conversationId).executeTakeFirst();
    if (!current) return null;
    const eventSeq = await changeOrNothing(this.db, async (trx) => {
      const seq = await nextEventSeq(trx, conversationId);
      if (seq === null) throw new NothingChanged();
      const row = await trx.selectFrom('conversations').select('retention_days').where('id', '=', conversationId).executeTakeFirstOrThrow();
      if ((row.retention_days ?? null) === days) throw new NothingChanged();
      await trx.updateTable('conversations').set({ retention_days: days }).where('id', '=', conversationId).execute();
      await logEvent(trx, { conversation_id: conversationId, event_seq: seq, type: 'conversation.updated', actor_id: actorId, created_at: at });
      return seq;
    });
    return { before: current.retention_days ?? null, event_seq: eventSeq };
  }

  async candidates(everyConversation: boolean, afterId: string | null, limit: number): Promise<RetentionCandidate[]> {
    let query = this.db.selectFrom('conversations').select(['id', 'retention_days']).orderBy('id').limit(limit);
    if (afterId !== null) query = query.where('id', '>', afterId);
    if (!everyConversation) query = query.where('retention_days', 'is not', null);
    const rows = await query.execute();
    return rows.map((r) => ({ id: r.id, retention_days: r.retention_days === null ? null : Number(r.retention_days) }));
  }

  expireBatch(conversationId: string, cutoff: string, limit: number): Promise<ExpiredBatch> {
    return this.db.transaction().execute(async (trx) => {
      // The counter row first: SQLite's write lock, PostgreSQL's row lock against a second job.
      const position = await trx
        .updateTable('conversations')
        .set((eb) => ({ expired_through_seq: eb.ref('expired_through_seq') }))
        .where('id', '=', conversationId)
        .returning('expired_through_seq')
        .executeTakeFirst();
      if (!position) return { deleted: 0, through_seq: 0, released_attachments: false };
      const from = Number(position.expired_through_seq);
      const oldest = await trx
        .selectFrom('messages')
        .select(['seq', 'created_at', 'attachments'])
        .where('conversation_id', '=', conversationId)
        .where('seq', '>', from)
        .orderBy('seq')
        .limit(limit)
        .execute();
      let through = from;
      let released = false;
      for (const message of oldest) {
        if (new Date(message.created_at).toISOString() >= cutoff) break;
        through = Number(message.seq);
        released ||= message.attachments !== '[]';
      }
      if (through === from) return { deleted: 0, through_seq: from, released_attachments: false };
      const removed = await trx.deleteFrom('messages').where('conversation_id', '=', conversationId).where('seq', '>', from).where('seq', '<=', through).executeTakeFirst();
      await trx.deleteFrom('mention_marks').where('conversation_id', '=', conversationId).where('seq', '<=', through).execute();
      await trx.updateTable('conversations').set({ expired_through_seq: through }).where('id', '=', conversationId).execute();
      return { deleted: Number(removed.numDeletedRows), through_seq: through, released_attachments: released };
    });
  }

  async announceExpiry(conversationId: string, cutoff: string, at: string): Promise<ExpiryAnnouncement | null> {
    const announced = await changeOrNothing(this.db, async (trx) => {
      const eventSeq = await nextEventSeq(trx, conversationId);
      if (eventSeq === null) throw new NothingChanged();
      // Events from before the cutoff describe deleted messages: they go, as compaction would
      // drop them, the position raised first so an older one gets a snapshot, never a gap.
      const old = await trx
        .selectFrom('conversation_events')
        .select((eb) => eb.fn.max('event_seq').as('through'))
        .where('conversation_id', '=', conversationId)
        .where('created_at', '<', cutoff)
        .executeTakeFirst();
      const prunedThrough = old?.through == null ? 0 : Number(old.through);
      if (prunedThrough > 0) {
        await trx.updateTable('conversations').set({ pruned_event_seq: prunedThrough }).where('id', '=', conversationId).where('pruned_event_seq', '<', prunedThrough).execute();
        await trx.deleteFrom('conversation_events').where('conversation_id', '=', conversationId).where('event_seq', '<=', prunedThrough).execute();
      }
      await logEvent(trx, { conversation_id: conversationId, event_seq: eventSeq, type: 'messages.expired', actor_id: null, created_at: at });
      const row = await trx.selectFrom('conversations').select('expired_through_seq').where('id', '=', conversationId).executeTakeFirstOrThrow();
      const members = await trx.selectFrom('members').select('user_id').where('conversation_id', '=', conversationId).execute();
      return { event_seq: eventSeq, through_seq: Number(row.expired_through_seq), member_ids: members.map((m) => m.user_id) };
    });
    return announced;
  }
}
