/**
 * The background backfill of the search indexes (search-schema.ts): when migration 0010 found
 * too many messages to index inside its own transaction, it left `search_backfill.next_rowid`,
 * and the search thread indexes the messages from there down, newest first, `batch` rowids per
 * short write transaction, pausing between them so sends (the writer thread polls for the lock
 * every millisecond at most) are held up for one batch at a time at most. Until it is done,
 * searches do not find the older messages (docs/architecture.md, "Search").
 */
import type SQLite from 'better-sqlite3';
import { indexRangeSql } from './search-schema.js';

/** Between two batches, the write lock is left to others for this long. */
const PAUSE_MS = 20;
/** After a failed batch (the lock not had within the busy timeout, a full disk), the next try. */
const RETRY_MS = 1000;

export interface BackfillOptions {
  batch: number;
  /** Called after each batch with the next rowid to index (0 when done). */
  onProgress?: (nextRowid: number) => void;
}

/** Runs the backfill to its end on `db` (a writable connection with the search functions), one batch per timer tick. */
export function runBackfill(db: SQLite.Database, options: BackfillOptions): { stop(): void } {
  const state = db.prepare<[], { next_rowid: number }>('select next_rowid from search_backfill where id = 1');
  const [words, trigrams] = indexRangeSql('replace', true).map((text) => db.prepare<[number, number]>(text)) as [SQLite.Statement<[number, number]>, SQLite.Statement<[number, number]>];
  const advance = db.prepare<[number]>('update search_backfill set next_rowid = ? where id = 1');
  const finish = db.prepare('delete from search_backfill where id = 1');
  // Each batch reads the position in its own transaction: another process may be backfilling too.
  const step = db.transaction((): number => {
    const row = state.get();
    if (!row || row.next_rowid <= 0) {
      if (row) finish.run();
      return 0;
    }
    const low = Math.max(0, row.next_rowid - options.batch);
    words.run(row.next_rowid, low);
    trigrams.run(row.next_rowid, low);
    if (low === 0) finish.run();
    else advance.run(low);
    return low;
  });
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    let next: number;
    try {
      next = step.immediate();
    } catch {
      // The lock stayed taken past the busy timeout, or the disk refused: try again later.
      timer = setTimeout(tick, RETRY_MS);
      return;
    }
    options.onProgress?.(next);
    if (next > 0) timer = setTimeout(tick, PAUSE_MS);
  };
  timer = setTimeout(tick, 0);
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
