/** The administration tables' row types (migration 0023), part of schema.ts's Database. */
import type { Generated } from 'kysely';
import type { NullableTimestamp, Timestamp } from '../schema.js';

/** Who blocked whom (migration 0024). */
export interface BlocksTable {
  blocker_id: string;
  blocked_id: string;
  created_at: Timestamp;
}

/** Reports of messages to the admins (migration 0025). */
export interface ReportsTable {
  id: string;
  message_id: string;
  conversation_id: string;
  reporter_id: string;
  sender_id: string;
  content: string;
  reason: string;
  status: Generated<'open' | 'resolved' | 'dismissed'>;
  created_at: Timestamp;
  resolved_at: NullableTimestamp;
  resolved_by: string | null;
  note: string | null;
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

/** Removals of a user's messages in a window, run as background jobs (migration 0027). */
export interface MessageRemovalsTable {
  id: string;
  user_id: string;
  requested_by: string;
  from_at: NullableTimestamp;
  to_at: NullableTimestamp;
  bound_at: Timestamp;
  status: Generated<'running' | 'done' | 'failed'>;
  removed: Generated<number>;
  total: Generated<number>;
  cursor_created_at: NullableTimestamp;
  cursor_message_id: string | null;
  lease_holder: string | null;
  lease_until: NullableTimestamp;
  failures: Generated<number>;
  error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  finished_at: NullableTimestamp;
}
