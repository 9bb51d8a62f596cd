/**
 * Reports (docs/API.md, "Reports"): a member reports someone else's message to the server's
 * admins with a reason; admins read the queue and close each report, resolved or dismissed,
 * which the audit log records. What an admin then does about it (delete the message,
 * deactivate the sender) is an admin action of its own.
 */
import { randomUUID } from 'node:crypto';
import { ADMIN_PAGE_DEFAULT, type Report, type ReportList, type ReportsQuery, type ResolveReport } from '@pneumatic/protocol';
import { nowIso } from '../clock.js';
import { requireMembership } from '../conversation.policy.js';
import { AppError, notFound } from '../errors.js';
import type { Store } from '../ports/repositories.js';
import type { AdminActor, AdminService } from './admin.service.js';
import { decodeReportCursor, encodeReportCursor } from './admin-cursors.js';

export class ReportService {
  constructor(
    private readonly store: Store,
    private readonly admin: Pick<AdminService, 'requireAdmin' | 'record'>,
  ) {}

  /**
   * Any member who can read the message may report it, once (a repeat answers the first report,
   * `created: false`); not their own message, nor one already deleted.
   */
  async report(callerId: string, messageId: string, reason: string): Promise<{ report: Report; created: boolean }> {
    const message = await this.store.messages.findById(messageId);
    if (!message) throw notFound('Message');
    await requireMembership(this.store, message.conversation_id, callerId);
    if (message.sender_id === callerId) {
      throw new AppError('invalid_request', 'You cannot report your own message.', { errors: [{ pointer: '/message_id', detail: 'is your own message' }] });
    }
    if (message.deleted) throw new AppError('message_deleted', 'This message is deleted already.');
    return this.store.reports.create({
      id: randomUUID(),
      message_id: message.message_id,
      conversation_id: message.conversation_id,
      reporter_id: callerId,
      sender_id: message.sender_id,
      content: message.content,
      reason,
      status: 'open',
      created_at: nowIso(),
      resolved_at: null,
      resolved_by: null,
      note: null,
    });
  }

  /** The queue: one status (open by default), oldest first. */
  async list(actor: AdminActor, query: ReportsQuery): Promise<ReportList> {
    await this.admin.requireAdmin(actor.principal);
    const limit = query.limit ?? ADMIN_PAGE_DEFAULT;
    const after = query.cursor === undefined ? undefined : decodeReportCursor(query.cursor);
    const reports = await this.store.reports.list(query.status ?? 'open', after, limit + 1);
    const page = reports.slice(0, limit);
    const last = page.at(-1);
    return { reports: page, next_cursor: reports.length > limit && last ? encodeReportCursor(last) : null };
  }

  /**
   * Closes an open report, audited. The same status again changes nothing (200); a report
   * closed the other way is 409 report_closed: the first admin to close it decided.
   */
  async close(actor: AdminActor, reportId: string, body: ResolveReport): Promise<Report> {
    await this.admin.requireAdmin(actor.principal);
    const outcome = await this.store.reports.close(reportId, body.status, body.note ?? null, actor.principal.user.id, nowIso());
    if (!outcome) throw new AppError('not_found', 'No report has this id.');
    const { report, closed } = outcome;
    if (!closed) {
      if (report.status === body.status) return report;
      throw new AppError('report_closed', `This report was ${report.status} already.`);
    }
    await this.admin.record(actor, {
      action: body.status === 'resolved' ? 'report.resolved' : 'report.dismissed',
      target_type: 'report',
      target_id: report.id,
      conversation_id: report.conversation_id,
      before: { status: 'open' },
      after: { status: report.status, note: report.note },
    });
    return report;
  }
}
