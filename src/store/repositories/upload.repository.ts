/**
 * Uploads on Kysely, both dialects (migration 0012 says what each state means). The clean-up
 * job's claim and a send's attach meet on the upload's row: a send sets `attached` with
 * `status = 'ready'` in its condition (store/uploads/attach-uploads.ts), the job sets
 * `deleting` with the candidate's condition, so whichever writes the row first wins and the
 * other's condition then fails (PostgreSQL re-checks a row's own columns after waiting for its
 * lock; SQLite has one writer).
 */
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { CleanupCandidate, UploadFacts, UploadRecord, UploadRepository } from '../../domain/ports/upload-repository.js';
import { toIso } from '../rows.js';
import type { Database } from '../schema.js';
import { serverSecret } from './server-secrets.js';

type UploadRow = Omit<UploadRecord, 'size' | 'cleaned' | 'attached' | 'created_at'> & {
  size: number | string;
  cleaned: number;
  attached: number;
  created_at: Date | string;
};

export function toUploadRecord(row: UploadRow): UploadRecord {
  return { ...row, size: Number(row.size), cleaned: row.cleaned === 1, attached: row.attached === 1, created_at: toIso(row.created_at) };
}

export class KyselyUploadRepository implements UploadRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async createPending(upload: { id: string; owner_id: string; filename: string; created_at: string }): Promise<void> {
    await this.db
      .insertInto('uploads')
      .values({ ...upload, content_type: 'application/octet-stream', size: 0, sha256: null, width: null, height: null, thumbnail_width: null, thumbnail_height: null, thumbnail_size: null, status: 'pending' })
      .execute();
  }

  async markReady(id: string, facts: UploadFacts, quotaBytes: number): Promise<boolean> {
    // One statement, so the quota holds against the owner's other uploads finishing at once:
    // SQLite runs it under its write lock; on PostgreSQL two finishing together may each see
    // the other's as pending and both pass, over by less than one upload (documented).
    const result = await this.db
      .updateTable('uploads')
      .set({ ...facts, cleaned: facts.cleaned ? 1 : 0, status: 'ready' })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where(
        (eb) =>
          eb.selectFrom('uploads as mine')
            .select(sql<number>`coalesce(sum(mine.size), 0)`.as('used'))
            .where('mine.owner_id', '=', eb.ref('uploads.owner_id'))
            .where('mine.status', '=', 'ready'),
        '<=',
        quotaBytes - facts.size,
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async find(id: string): Promise<UploadRecord | null> {
    const row = await this.db.selectFrom('uploads').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toUploadRecord(row) : null;
  }

  async usedBytes(ownerId: string): Promise<number> {
    const row = await this.db
      .selectFrom('uploads')
      .select(sql<number | string>`coalesce(sum(size), 0)`.as('used'))
      .where('owner_id', '=', ownerId)
      .where('status', '=', 'ready')
      .executeTakeFirstOrThrow();
    return Number(row.used);
  }

  /** The owner while unattached, or a member of a conversation where a message attaches it. */
  readableBy(id: string, userId: string): Promise<boolean> {
    return this.readyWhere(id, (eb) =>
      eb.or([
        eb.and([eb('owner_id', '=', userId), eb('attached', '=', 0)]),
        eb.exists(
          eb
            .selectFrom('message_attachments')
            .innerJoin('messages', 'messages.message_id', 'message_attachments.message_id')
            .innerJoin('members', 'members.conversation_id', 'messages.conversation_id')
            .select(sql.lit(1).as('one'))
            .where('message_attachments.upload_id', '=', eb.ref('uploads.id'))
            .where('members.user_id', '=', userId),
        ),
      ]),
    );
  }

  /** Not attached yet, or attached by some message. */
  reachable(id: string): Promise<boolean> {
    return this.readyWhere(id, (eb) =>
      eb.or([
        eb('attached', '=', 0),
        eb.exists(eb.selectFrom('message_attachments').select(sql.lit(1).as('one')).where('message_attachments.upload_id', '=', eb.ref('uploads.id'))),
      ]),
    );
  }

  private async readyWhere(id: string, condition: (eb: ExpressionBuilder<Database, 'uploads'>) => Expression<SqlBool>): Promise<boolean> {
    const row = await this.db.selectFrom('uploads').select('id').where('id', '=', id).where('status', '=', 'ready').where(condition).executeTakeFirst();
    return row !== undefined;
  }

  async attachable(ids: readonly string[], ownerId: string): Promise<UploadRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('uploads').selectAll().where('id', 'in', [...ids]).where('owner_id', '=', ownerId).where('status', '=', 'ready').execute();
    return rows.map(toUploadRecord);
  }

  async cleanupCandidates(orphanCutoff: string, pendingCutoff: string, limit: number): Promise<CleanupCandidate[]> {
    const rows = await this.db
      .selectFrom('uploads')
      .select(['id', 'status'])
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'ready'), eb('attached', '=', 0), eb('created_at', '<', orphanCutoff)]),
          eb.and([
            eb('status', '=', 'ready'),
            eb('attached', '=', 1),
            eb.not(eb.exists(eb.selectFrom('message_attachments').select(sql.lit(1).as('one')).where('message_attachments.upload_id', '=', eb.ref('uploads.id')))),
          ]),
          eb.and([eb('status', '=', 'pending'), eb('created_at', '<', pendingCutoff)]),
          eb('status', '=', 'deleting'),
        ]),
      )
      .limit(limit)
      .execute();
    return rows;
  }

  async claimForDeletion(candidate: CleanupCandidate, orphanCutoff: string, pendingCutoff: string): Promise<boolean> {
    if (candidate.status === 'deleting') return true;
    if (candidate.status === 'pending') {
      const result = await this.db
        .updateTable('uploads')
        .set({ status: 'deleting' })
        .where('id', '=', candidate.id)
        .where('status', '=', 'pending')
        .where('created_at', '<', pendingCutoff)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    }
    return this.db.transaction().execute(async (trx) => {
      // Orphans: never attached (a send attaching it meanwhile set attached = 1 first, or waits
      // for this row and then finds it deleting). Attached once: claimed, then checked for a
      // reference in a statement of its own, which (on PostgreSQL, read committed) sees every
      // send that committed before the claim took the row.
      const claimed = await trx
        .updateTable('uploads')
        .set({ status: 'deleting' })
        .where('id', '=', candidate.id)
        .where('status', '=', 'ready')
        .where((eb) => eb.or([eb.and([eb('attached', '=', 0), eb('created_at', '<', orphanCutoff)]), eb('attached', '=', 1)]))
        .returning('attached')
        .executeTakeFirst();
      if (!claimed) return false;
      if (claimed.attached === 0) return true;
      const referenced = await trx.selectFrom('message_attachments').select('upload_id').where('upload_id', '=', candidate.id).limit(1).executeTakeFirst();
      if (!referenced) return true;
      await trx.updateTable('uploads').set({ status: 'ready' }).where('id', '=', candidate.id).execute();
      return false;
    });
  }

  async remove(id: string): Promise<void> {
    await this.db.deleteFrom('uploads').where('id', '=', id).execute();
  }

  secret(name: string, generated: string): Promise<string> {
    return serverSecret(this.db, name, generated);
  }
}
