/** The SDK's types of administration: server roles, users as admins see them, reports, the audit log, message removals, retention. */
import type * as Wire from '@pneumatic/protocol';

/** A server role (docs/API.md, "Administration"): `admin` may use the /admin routes. */
export type ServerRole = Wire.ServerRole;
/** A user as an admin sees them: with `role`, `deactivated_at` and `bot_owner_id`. */
export type AdminUser = Wire.AdminUser;
/** A page of `GET /admin/users`. */
export type AdminUserPage = Wire.AdminUserList;
/** `GET /admin/users`: `q` a username prefix (any case), `role`, `deactivated`, `limit` (1–100), `cursor` (a page's `next_cursor`). */
export interface AdminUserQuery {
  q?: string;
  role?: ServerRole;
  deactivated?: boolean;
  limit?: number;
  cursor?: string;
}
/** `PATCH /admin/users/{id}`: a new role, and/or deactivate (true) or reactivate (false). */
export type AdminUserPatch = Wire.UpdateAdminUser;
/** A report of a message to the admins (docs/API.md, "Reports"). */
export type Report = Wire.Report;
/** A page of `GET /admin/reports`, oldest first. */
export type ReportPage = Wire.ReportList;
/** `GET /admin/reports`: `status` (default `open`), `limit` (1–100), `cursor` (a page's `next_cursor`). */
export type ReportQuery = Wire.ReportsQuery;
/** One audit log entry: who did what to what, before and after, when, in which request. */
export type AuditEntry = Wire.AuditEntry;
/** A page of `GET /admin/audit`, newest first. */
export type AuditPage = Wire.AuditEntryList;
/** A removal of a user's messages in a window, run in the background, and its progress (docs/API.md, "Administration"). */
export type MessageRemoval = Wire.MessageRemoval;
/** A page of `GET /admin/message-removals`, newest first. */
export type MessageRemovalPage = Wire.MessageRemovalList;
/** `POST /admin/users/{user_id}/message-removals`: `from` inclusive, `to` exclusive (ISO 8601); either left out is open. */
export interface MessageRemovalWindow {
  from?: string;
  to?: string;
}
/** `GET /admin/message-removals`: `userId` (one user's), `limit` (1–100), `cursor` (a page's `next_cursor`). */
export interface MessageRemovalQuery {
  userId?: string;
  limit?: number;
  cursor?: string;
}
/** `GET` and `PUT /admin/retention`: the server-wide retention period in days, null to keep messages forever (docs/API.md, "Retention"). */
export type RetentionSettings = Wire.RetentionSettings;
/** `GET /admin/audit` filters (ANDed): `since` inclusive, `until` exclusive (ISO 8601). */
export interface AuditQuery {
  action?: Wire.AuditAction;
  actor_id?: string;
  target_id?: string;
  since?: string;
  until?: string;
  limit?: number;
  cursor?: string;
}
