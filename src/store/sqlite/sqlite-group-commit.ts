import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { AppendResult, NewMessage } from '../../domain/ports/repositories.js';
import { toMessage, type MessageRow } from '../rows.js';
import type { Database } from '../schema.js';

/** Most sends written in one transaction; a larger backlog takes several. */
const MAX_BATCH = 512;

interface Pending {
  message: NewMessage;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for SQLite. Sends that arrive while the event loop is busy (including during the
 * previous commit's fsync) are written together in the next transaction, and each is resolved
 * only after that transaction commits, so acks stay durable (synchronous=FULL) while one fsync
 * serves a whole batch. Each send runs in its own savepoint: one failing send does not fail
 * its neighbours.
 *
 * The batch runs on the connection Kysely holds, acquired through Kysely, so it never interleaves
 * with a Kysely transaction on the same handle.
 */
export class SqliteGroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;
  private readonly bump: SQLite.Statement<[string, string], { last_seq: number }>;
  private readonly existing: SQLite.Statement<[string], MessageRow>;
  private readonly insert: SQLite.Statement<[string, string, string, string, number, string]>;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly sqlite: SQLite.Database,
  ) {
    this.bump = sqlite.prepare('update conversations set last_seq = last_seq + 1, last_activity_at = ? where id = ? returning last_seq');
    this.existing = sqlite.prepare('select * from messages where message_id = ?');
    this.insert = sqlite.prepare(
      'insert into messages (message_id, conversation_id, sender_id, content, seq, created_at, edited_at, deleted_at) values (?, ?, ?, ?, ?, ?, null, null)',
    );
  }

  append(message: NewMessage): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ message, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // After the I/O phase: every send parsed in this turn of the event loop joins the batch.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, MAX_BATCH);
    let results: (AppendResult | Error)[] = [];
    try {
      results = await this.db.connection().execute(async () => this.writeBatch(batch));
    } catch (error) {
      for (const item of batch) item.reject(error);
      results = [];
    }
    results.forEach((result, i) => (result instanceof Error ? batch[i]!.reject(result) : batch[i]!.resolve(result)));
    if (this.queue.length > 0) setImmediate(() => void this.flush());
    else this.scheduled = false;
  }

  /** One IMMEDIATE transaction (takes the write lock up front, waiting on other processes). */
  private writeBatch(batch: Pending[]): (AppendResult | Error)[] {
    const appendOne = this.sqlite.transaction((message: NewMessage): AppendResult => {
      const stored = this.existing.get(message.message_id);
      if (stored) return { kind: 'existing', message: toMessage(stored) };
      // Stamped inside the transaction, so created_at never decreases as seq grows.
      const createdAt = new Date().toISOString();
      const counter = this.bump.get(createdAt, message.conversation_id);
      if (!counter) throw new Error(`conversation ${message.conversation_id} vanished`);
      const row: MessageRow = { ...message, created_at: createdAt, seq: counter.last_seq, edited_at: null, deleted_at: null };
      this.insert.run(row.message_id, row.conversation_id, row.sender_id, row.content, row.seq, createdAt);
      return { kind: 'created', message: toMessage(row) };
    });
    const writeAll = this.sqlite.transaction((items: Pending[]) =>
      items.map((item) => {
        try {
          // Nested: a savepoint per send.
          return appendOne(item.message);
        } catch (error) {
          return error instanceof Error ? error : new Error(String(error));
        }
      }),
    );
    return writeAll.immediate(batch);
  }
}
