/** Reports (migration 0025): created by members, closed once by an admin, never deleted here. */
import type { Report } from '@pneumatic/protocol';
import type { Kysely, Selectable } from 'kysely';
import type { ReportPosition, ReportRepository } from '../../domain/ports/report-repository.js';
import { toIso, toIsoOrNull } from '../rows.js';
import type { Database } from '../schema.js';
import type { ReportsTable } from './admin-tables.js';

function toReport(row: Selectable<ReportsTable>): Report {
  return { ...row, created_at: toIso(row.created_at), resolved_at: toIsoOrNull(row.resolved_at) };
}

export class KyselyReportRepository implements ReportRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(report: Report): Promise<{ report: Report; created: boolean }> {
    const inserted = await this.db
      .insertInto('reports')
      .values(report)
      .onConflict((oc) => oc.columns(['reporter_id', 'message_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return { report, created: true };
    const existing = await this.db.selectFrom('reports').selectAll().where('reporter_id', '=', report.reporter_id).where('message_id', '=', report.message_id).executeTakeFirstOrThrow();
    return { report: toReport(existing), created: false };
  }

  async findById(id: string): Promise<Report | null> {
    const row = await this.db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toReport(row) : null;
  }

  async list(status: Report['status'], after: ReportPosition | undefined, limit: number): Promise<Report[]> {
    let query = this.db.selectFrom('reports').selectAll().where('status', '=', status);
    if (after) query = query.where((eb) => eb.or([eb('created_at', '>', after.created_at), eb.and([eb('created_at', '=', after.created_at), eb('id', '>', after.id)])]));
    const rows = await query.orderBy('created_at').orderBy('id').limit(limit).execute();
    return rows.map(toReport);
  }

  async close(id: string, status: 'resolved' | 'dismissed', note: string | null, by: string, at: string): Promise<{ report: Report; closed: boolean } | null> {
    const closed = await this.db
      .updateTable('reports')
      .set({ status, note, resolved_by: by, resolved_at: at })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .returningAll()
      .executeTakeFirst();
    if (closed) return { report: toReport(closed), closed: true };
    const report = await this.findById(id);
    return report ? { report, closed: false } : null;
  }
}
