/**
 * The REST routes of administration (docs/API.md, "Administration"): users with their server
 * roles, deactivation, moderation and the audit log. Every one answers `forbidden` (403) to
 * anyone but an admin (and to an admin's API token without the `admin` scope). A base of
 * RestApi, kept apart so each file has one area of the API.
 */
import { MembersRestApi } from './members-rest-api.js';
import type { AdminUser, AdminUserPage, AdminUserPatch, AdminUserQuery, AuditPage, AuditQuery, MessageRemoval, MessageRemovalPage, MessageRemovalQuery, MessageRemovalWindow, Report, ReportPage, ReportQuery, RetentionSettings, ServerRole } from './types.js';

const enc = encodeURIComponent;

/** A query string of the defined values, or ''. */
function queryOf(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

export class AdminRestApi extends MembersRestApi {
  /** `GET /users/me/role`: your server role, `admin` or `member` (any token; nobody else's role shows outside /admin). */
  async myServerRole(): Promise<ServerRole> {
    const answer: { role: ServerRole } = await this.http.request('GET', '/users/me/role');
    return answer.role;
  }

  /** `GET /admin/users`: users in username order (ignoring case), one page; `invalid_cursor` (400) for a cursor not from this list. */
  listUsersAsAdmin(query: AdminUserQuery = {}): Promise<AdminUserPage> {
    return this.http.request('GET', `/admin/users${queryOf({ ...query })}`);
  }

  /** `GET /admin/users/{id}`; `user_not_found` (404). */
  getUserAsAdmin(userId: string): Promise<AdminUser> {
    return this.http.request('GET', `/admin/users/${enc(userId)}`);
  }

  /**
   * `PATCH /admin/users/{id}`: change the role, deactivate or reactivate. Deactivation revokes every
   * token of the user and their bots and closes their sockets (4503). Refusals: `last_admin`
   * (409: the server must keep an active admin), `user_not_found` (404).
   */
  updateUserAsAdmin(userId: string, patch: AdminUserPatch): Promise<AdminUser> {
    return this.http.request('PATCH', `/admin/users/${enc(userId)}`, { body: patch });
  }

  /** `DELETE /admin/messages/{id}`: deletes any message (members are told as for any delete); `not_found` (404). */
  deleteMessageAsAdmin(messageId: string): Promise<void> {
    return this.http.request('DELETE', `/admin/messages/${enc(messageId)}`);
  }

  /** `DELETE /admin/conversations/{id}/members/{user_id}`: removes anyone from any conversation; `not_found` (404). */
  removeMemberAsAdmin(conversationId: string, userId: string): Promise<void> {
    return this.http.request('DELETE', `/admin/conversations/${enc(conversationId)}/members/${enc(userId)}`);
  }

  /** `GET /admin/retention`: the server-wide retention period (`message_retention_days`, null: messages are kept forever). */
  getRetention(): Promise<RetentionSettings> {
    return this.http.request('GET', '/admin/retention');
  }

  /**
   * `PUT /admin/retention`: sets the server-wide period, 1 to 36,500 days, or null to keep messages
   * forever; audited. Messages older than it are deleted by a background job. `invalid_request` (400) otherwise.
   */
  setRetention(days: number | null): Promise<RetentionSettings> {
    return this.http.request('PUT', '/admin/retention', { body: { message_retention_days: days } });
  }

  /**
   * `POST /admin/users/{user_id}/message-removals`: deletes every message of the user created in
   * the window (`from` inclusive, `to` exclusive; open without them) in a background job, each an
   * ordinary delete; audited. Resolves with the job at once (`running`); follow it with
   * getMessageRemoval. Refusals: `invalid_request` (400: from not before to), `user_not_found` (404).
   */
  startMessageRemoval(userId: string, window: MessageRemovalWindow = {}): Promise<MessageRemoval> {
    return this.http.request('POST', `/admin/users/${enc(userId)}/message-removals`, { body: window });
  }

  /** `GET /admin/message-removals/{id}`: a removal and its progress (`removed` of `total`); `not_found` (404). */
  getMessageRemoval(removalId: string): Promise<MessageRemoval> {
    return this.http.request('GET', `/admin/message-removals/${enc(removalId)}`);
  }

  /** `GET /admin/message-removals`: newest first, of one user with `userId`; follow `next_cursor` for older ones. */
  listMessageRemovals(query: MessageRemovalQuery = {}): Promise<MessageRemovalPage> {
    return this.http.request('GET', `/admin/message-removals${queryOf({ user_id: query.userId, limit: query.limit, cursor: query.cursor })}`);
  }

  /** `GET /admin/audit`: the audit log, newest first, filtered; follow `next_cursor` for older entries. */
  listAudit(query: AuditQuery = {}): Promise<AuditPage> {
    return this.http.request('GET', `/admin/audit${queryOf({ ...query })}`);
  }

  /**
   * `POST /messages/{id}/reports`: report someone else's message to the admins, with a reason
   * (1–1000 characters). Reporting it again answers your first report. Refusals:
   * `invalid_request` (400: your own message), `not_member` (403), `message_deleted` (409), 404.
   */
  reportMessage(messageId: string, reason: string): Promise<Report> {
    return this.http.request('POST', `/messages/${enc(messageId)}/reports`, { body: { reason } });
  }

  /** `GET /admin/reports`: one status (`open` by default), oldest first; follow `next_cursor`. */
  listReports(query: ReportQuery = {}): Promise<ReportPage> {
    return this.http.request('GET', `/admin/reports${queryOf({ ...query })}`);
  }

  /** `PATCH /admin/reports/{id}`: close an open report, audited; `report_closed` (409) if it was closed the other way. */
  closeReport(reportId: string, status: 'resolved' | 'dismissed', note?: string): Promise<Report> {
    return this.http.request('PATCH', `/admin/reports/${enc(reportId)}`, { body: note === undefined ? { status } : { status, note } });
  }
}
