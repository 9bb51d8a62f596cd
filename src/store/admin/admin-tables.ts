/** The administration tables' row types (migration 0023), part of schema.ts's Database. */
import type { Timestamp } from '../schema.js';

/** Who blocked whom (migration 0024). */
export interface BlocksTable {
  blocker_id: string;
  blocked_id: string;
  created_at: Timestamp;
}

/** The append-only audit log (migration 0023); `before` and `after` are JSON text. */
export interface AuditLogTable {
  id: string;
  at: Timestamp;
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string;
  conversation_id: string | null;
  before: string | null;
  after: string | null;
  request_id: string | null;
}
