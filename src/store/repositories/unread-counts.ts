import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

/**
 * At most this many messages are looked at per conversation for its unread count: past it the
 * count is of the latest UNREAD_COUNT_CAP only, and marked capped (docs/API.md), for a badge
 * such as "999+". Each count then reads at most this many rows, however long the unread
 * history: a never-read room of 200,000 messages costs what one of 1,000 does. The cap is high
 * enough that no ordinary conversation meets it (a v1 client, which knows nothing of the flag,
 * sees exact counts up to 1,000); the price is the rare page of many never-read busy rooms,
 * 50,000 entries of the live-message index (migration 0009: no table lookups) for 50 of them.
 * Counters kept per member instead would write every member's row on every send (1,000 rows a
 * send in a room of 1,000).
 */
export const UNREAD_COUNT_CAP = 1000;

export interface UnreadCount {
  count: number;
  /** More than UNREAD_COUNT_CAP messages follow the read position: count is a lower bound. */
  capped: boolean;
}

/**
 * Messages from others, after the caller's read position, not deleted. Bounded by the read
 * position and last_seq the page was read with, so a message committed meanwhile is not
 * counted here while missing from last_seq (a client would count it twice).
 */
export async function unreadCounts(
  db: Kysely<Database>,
  userId: string,
  page: readonly { id: string; last_seq: number; last_read_seq: number }[],
): Promise<Map<string, UnreadCount>> {
  const windows = page
    .map((r) => ({ id: r.id, lastSeq: Number(r.last_seq), lastRead: Number(r.last_read_seq) }))
    .filter((w) => w.lastSeq > w.lastRead)
    .map((w) => ({ ...w, after: Math.max(w.lastRead, w.lastSeq - UNREAD_COUNT_CAP) }));
  const result = new Map<string, UnreadCount>(windows.map((w) => [w.id, { count: 0, capped: w.after > w.lastRead }]));
  if (windows.length === 0) return result;
  // One scalar count per conversation, each a range of the live-message index (migration
  // 0009) read without touching the table. A single query with the windows OR-ed together looks
  // every row up in the table (both databases turn an OR into index scans that return rows).
  const counts = windows.map(
    (w) =>
      sql<string>`select cast(${w.id} as text) as conversation_id, (select count(*) from messages m where m.conversation_id = ${w.id} and m.seq > ${w.after} and m.seq <= ${w.lastSeq} and m.sender_id <> ${userId} and m.deleted_at is null) as unread`,
  );
  const { rows } = await sql<{ conversation_id: string; unread: number | string }>`${sql.join(counts, sql` union all `)}`.execute(db);
  for (const row of rows) {
    const entry = result.get(row.conversation_id);
    if (entry) entry.count = Number(row.unread);
  }
  return result;
}
