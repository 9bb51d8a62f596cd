/**
 * The search indexes' queue (migration 0011; docs/architecture.md, "Search"): a send does not
 * write FTS5 itself, it records its message's rowid in `search_pending`, in its own transaction;
 * the search thread moves the queued messages into both FTS5 tables in batches (`searchQueueDrain`),
 * every 100 ms and before each search, so a search still finds every message
 * acknowledged before it was asked.
 *
 * Why: FTS5 writes its pending terms to disk as a new segment at every savepoint and commit, and
 * every send runs in a savepoint of its own (sqlite-writer.worker.ts). Indexed in the send, each
 * message cost a segment per table and the merges that follow: about 200 µs of CPU a message,
 * against about 30 µs when a few hundred are indexed at once.
 *
 * Invariant: a live message's rowid is in the FTS5 tables or in the queue, never both, and a
 * deleted message's is in neither. The triggers keep it: an insert queues; an edit or a delete
 * takes the row out of FTS5 and queues it again if it still has text; a removal takes it out
 * of both. The drain moves rows from the queue into FTS5 in one transaction. The backfill
 * (search-backfill.ts) skips queued rows.
 */
import type SQLite from 'better-sqlite3';
import { indexInsertsSql } from './search-schema.js';

/** The queue: rowids of messages whose current text is not yet in the FTS5 tables. */
export const SEARCH_QUEUE_TABLE_SQL = 'create table search_pending (message_rowid integer primary key)';

/** The triggers that replace migration 0010's: they queue instead of indexing. */
export function searchQueueTriggersSql(): string[] {
  const unindex = 'delete from message_words where rowid = old.rowid;\n  delete from message_trigrams where rowid = old.rowid;';
  return [
    'drop trigger messages_search_insert',
    'drop trigger messages_search_update',
    'drop trigger messages_search_delete',
    'create trigger messages_search_insert after insert on messages when new.deleted_at is null begin\n' +
      '  insert into search_pending (message_rowid) values (new.rowid);\nend',
    // An edit changes content; a delete empties it and sets deleted_at: the row leaves, and is queued again only with text.
    'create trigger messages_search_update after update of content, deleted_at on messages begin\n' +
      `  ${unindex}\n` +
      '  insert or ignore into search_pending (message_rowid) select new.rowid where new.deleted_at is null;\n' +
      '  delete from search_pending where message_rowid = new.rowid and new.deleted_at is not null;\nend',
    `create trigger messages_search_delete after delete on messages begin\n  ${unindex}\n` +
      '  delete from search_pending where message_rowid = old.rowid;\nend',
  ];
}

/** Statements of one drain, prepared once per connection. */
export interface SearchQueueDrain {
  /** Moves up to `max` queued messages (oldest first) into the indexes; returns how many were queued before. Run it in a write transaction. */
  (max: number): number;
}

export function searchQueueDrain(db: SQLite.Database): SearchQueueDrain {
  const bound = db.prepare<[number], { top: number | null; queued: number }>(
    'select max(message_rowid) as top, count(*) as queued from (select message_rowid from search_pending order by message_rowid limit ?)',
  );
  const [words, trigrams] = indexInsertsSql('insert', 'from search_pending p cross join messages m on m.rowid = p.message_rowid where p.message_rowid <= ? and m.deleted_at is null')
    .map((text) => db.prepare<[number]>(text)) as [SQLite.Statement<[number]>, SQLite.Statement<[number]>];
  const dequeue = db.prepare<[number]>('delete from search_pending where message_rowid <= ?');
  return (max) => {
    const { top, queued: count } = bound.get(max)!;
    if (top === null) return 0;
    words.run(top);
    trigrams.run(top);
    dequeue.run(top);
    return count;
  };
}
