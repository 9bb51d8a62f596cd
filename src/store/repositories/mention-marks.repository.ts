/** Writes and counts mention marks (migration 0007): the rows behind `unread_mentions`. */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/**
 * Replaces the marks of the message at `seq` (an edit: its new mentions; a deletion: none).
 * Run inside the change's transaction, under the conversation's counter row lock.
 */
export async function replaceMentionMarks(
  trx: Kysely<Database>,
  message: { conversation_id: string; seq: number; sender_id: string },
  targets: readonly (string | null)[],
): Promise<void> {
  const seq = Number(message.seq);
  await trx.deleteFrom('mention_marks').where('conversation_id', '=', message.conversation_id).where('seq', '=', seq).execute();
  if (targets.length === 0) return;
  await trx
    .insertInto('mention_marks')
    .values(targets.map((user_id) => ({ conversation_id: message.conversation_id, seq, user_id, sender_id: message.sender_id })))
    .execute();
}

/** One conversation of a page: the caller's read position and the last seq the page was read with. */
export interface MentionWindow {
  id: string;
  last_seq: number;
  last_read_seq: number;
}

/**
 * The caller's unread mentions per conversation: marks of the caller, and marks of everyone not
 * sent by the caller, above the read position and up to the page's last_seq, within the same
 * latest `cap` messages unread_count counts. Each conversation is two ranges of the
 * (conversation_id, user_id, seq) index (the caller's marks, everyone's), so a count reads
 * only mark rows, never the messages; conversations with nothing unread cost nothing.
 */
export async function unreadMentionCounts(db: Kysely<Database>, userId: string, page: readonly MentionWindow[], cap: number): Promise<Map<string, number>> {
  const windows = page
    .map((r) => ({ id: r.id, lastSeq: Number(r.last_seq), lastRead: Number(r.last_read_seq) }))
    .filter((w) => w.lastSeq > w.lastRead)
    .map((w) => ({ ...w, after: Math.max(w.lastRead, w.lastSeq - cap) }));
  const result = new Map<string, number>();
  if (windows.length === 0) return result;
  const rows = await db
    .selectFrom('mention_marks')
    .select(['conversation_id', (eb) => eb.fn.countAll<number | string>().as('mentions')])
    .where((eb) =>
      eb.or(
        windows.flatMap((w) => [
          eb.and([eb('conversation_id', '=', w.id), eb('user_id', '=', userId), eb('seq', '>', w.after), eb('seq', '<=', w.lastSeq)]),
          eb.and([
            eb('conversation_id', '=', w.id),
            eb('user_id', 'is', null),
            eb('seq', '>', w.after),
            eb('seq', '<=', w.lastSeq),
            eb('sender_id', '<>', userId),
            // Someone the user blocks does not reach them with @all either (docs/API.md, "Blocking").
            eb.not(eb.exists(eb.selectFrom('blocks').select('blocks.blocked_id').where('blocks.blocker_id', '=', userId).whereRef('blocks.blocked_id', '=', 'mention_marks.sender_id'))),
          ]),
        ]),
      ),
    )
    .groupBy('conversation_id')
    .execute();
  for (const row of rows) result.set(row.conversation_id, Number(row.mentions));
  return result;
}
