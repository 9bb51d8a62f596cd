/**
 * What `npm run export` writes and `npm run import` reads (README.md, "Moving a server:
 * export and import"): the tables that hold the server's state, in an order where every row comes after the
 * rows it refers to, each with the order its rows are read in (a bot after its owner, a reply
 * after what it answers).
 *
 * Left out, since the server rebuilds or does not need them: the migrations' bookkeeping, the
 * search indexes and their queue (the imported messages are indexed again after start), the push
 * queue and its deliveries, webhooks' delivery log, log-ins in progress (single sign-on
 * states and login codes, minutes-long by design), and background jobs' leases (held by the
 * processes of the old server).
 */
export interface TransferTable {
  name: string;
  orderBy: string;
}

export const TRANSFER_TABLES: readonly TransferTable[] = [
  { name: 'users', orderBy: '(bot_owner_id is not null), created_at, id' },
  { name: 'server_secrets', orderBy: 'name' },
  { name: 'server_settings', orderBy: 'name' },
  { name: 'sessions', orderBy: 'id' },
  { name: 'user_search_terms', orderBy: 'term, username_key' },
  { name: 'invites', orderBy: 'id' },
  { name: 'user_identities', orderBy: 'issuer, subject' },
  { name: 'notification_defaults', orderBy: 'user_id' },
  { name: 'blocks', orderBy: 'blocker_id, blocked_id' },
  { name: 'conversations', orderBy: 'id' },
  { name: 'members', orderBy: 'conversation_id, user_id' },
  { name: 'messages', orderBy: 'conversation_id, seq' },
  { name: 'conversation_events', orderBy: 'conversation_id, event_seq' },
  { name: 'reactions', orderBy: 'message_id, emoji, user_id' },
  { name: 'pins', orderBy: 'conversation_id, message_id' },
  { name: 'thread_reads', orderBy: 'user_id, message_id' },
  { name: 'mention_marks', orderBy: 'conversation_id, seq, user_id' },
  { name: 'uploads', orderBy: 'id' },
  { name: 'message_attachments', orderBy: 'message_id, upload_id' },
  { name: 'conversation_notifications', orderBy: 'conversation_id, user_id' },
  { name: 'push_subscriptions', orderBy: 'id' },
  { name: 'incoming_webhooks', orderBy: 'id' },
  { name: 'webhooks', orderBy: 'id' },
  { name: 'webhook_lanes', orderBy: 'webhook_id, conversation_id' },
  { name: 'audit_log', orderBy: 'at, id' },
  { name: 'reports', orderBy: 'created_at, id' },
  // A removal still running goes on after the import: its cursor is a message's (created_at, message_id), the same on either side.
  { name: 'message_removals', orderBy: 'created_at, id' },
];

/** The first line of an export. */
export interface ExportHeader {
  format: 'pneumatic-export';
  version: 1;
  /** The last migration of the database it came from: an import needs the same. */
  schema: string;
  source: 'sqlite' | 'postgres';
  created_at: string;
  /** Rows per table, counted in the same snapshot the rows are read from. */
  counts: Record<string, number>;
}

/** Each row: `{"t": table, "r": row}`. The last line: `{"end": true, "rows": total}`, so a cut-off file is told apart. */
export interface ExportRowLine {
  t: string;
  r: Record<string, unknown>;
}

export interface ExportTrailer {
  end: true;
  rows: number;
}

export const EXPORT_FORMAT = 'pneumatic-export';
