/** Server roles, deactivation and the audit log (docs/API.md, "Administration"). */
import type { AdminUser, AuditAction, AuditEntry, AuditTargetType, ServerRole } from '@pneumatic/protocol';

export interface AdminUserFilter {
  /** The start of a username, lower-cased. */
  prefix?: string | undefined;
  role?: ServerRole | undefined;
  deactivated?: boolean | undefined;
  /** The lower-cased username the previous page ended with. */
  after?: string | undefined;
  limit: number;
}

/** What a role or deactivation change did: `last_admin` when it would leave no active admin. */
export type AdminChange = { outcome: 'changed' | 'unchanged'; before: AdminUser; after: AdminUser } | { outcome: 'last_admin' } | null;

export interface AdminRepository {
  /** Users in username order (case-folded), with role and account state. */
  listUsers(filter: AdminUserFilter): Promise<AdminUser[]>;
  findUser(id: string): Promise<AdminUser | null>;
  findUserByUsername(username: string): Promise<AdminUser | null>;
  /** null: no such user. Refuses (`last_admin`) to leave the server without an active admin, atomically. */
  setRole(userId: string, role: ServerRole): Promise<AdminChange>;
  /** Deactivates (`at`) or reactivates (null); refuses to deactivate the last active admin. */
  setDeactivated(userId: string, at: string | null): Promise<AdminChange>;
  /** The ids of the bots the user owns. */
  botIdsOf(ownerId: string): Promise<string[]>;
}

export interface NewAuditEntry {
  actor_id: string | null;
  action: AuditAction;
  target_type: AuditTargetType;
  target_id: string;
  conversation_id?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  request_id?: string | null;
}

export interface AuditFilter {
  action?: AuditAction | undefined;
  actor_id?: string | undefined;
  target_id?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  /** The (at, id) the previous page ended with: entries strictly older come next. */
  before?: { at: string; id: string } | undefined;
  limit: number;
}

/** Append-only: there is no update or delete. */
export interface AuditLogRepository {
  append(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  list(filter: AuditFilter): Promise<AuditEntry[]>;
}
