/**
 * Bulk seeding for the growth workload: rows written straight into the server's database
 * (multi-row inserts in large transactions), not through HTTP, so millions of messages take
 * minutes. Seeded history has no events (as history from before the change feed): each
 * conversation's events up to its head are marked as no longer kept. Inserted messages fire the
 * server's triggers (the search index's queue), and each transaction drains the queue, so seeding
 * includes indexing them.
 */
import type SQLite from 'better-sqlite3';
import pg from 'pg';
import { openSqliteConnection } from '../../src/store/sqlite/sqlite-connection.js';
import { searchQueueDrain } from '../../src/store/sqlite/search-queue.js';

type Value = string | number | null;

export interface Seeder {
  insert(table: string, columns: readonly string[], rows: readonly Value[][]): Promise<void>;
  query<T>(text: string, params?: readonly Value[]): Promise<T[]>;
  /** Runs `work` in one transaction. */
  transaction(work: () => Promise<void>): Promise<void>;
  /**
   * PostgreSQL: ANALYZE, as autovacuum would have done in a database that grew over time (a
   * planner without statistics takes a user's 5,000 memberships for 50 and joins and sorts
   * them all). SQLite: nothing; Pneumatic never runs ANALYZE there.
   */
  analyze(): Promise<void>;
  close(): Promise<void>;
}

/** Most bound parameters per statement: SQLite allows 32,766, PostgreSQL 65,535. */
const MAX_PARAMS = 30_000;

function chunks<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

function sqliteSeeder(path: string): Seeder {
  // Opened as the server opens its own connections, so the SQL functions that its triggers call
  // (the search index's, src/store/sqlite/search-functions.ts) exist on this one too.
  const db = openSqliteConnection(path, { kind: 'handler', timeoutMs: 30_000 });
  const statements = new Map<string, SQLite.Statement>();
  // A build with the search queue (migration 0011): the seeded messages are indexed in their own
  // transaction, as a send's are before its ack, not left to the server's background drain.
  const queue = db.prepare("select 1 from sqlite_master where type = 'table' and name = 'search_pending'").get() ? searchQueueDrain(db) : null;
  const drainSearchQueue = queue && (() => {
    while (queue(1_000_000) > 0);
  });
  const prepared = (text: string) => {
    let s = statements.get(text);
    if (!s) statements.set(text, (s = db.prepare(text)));
    return s;
  };
  return {
    async insert(table, columns, rows) {
      const per = Math.floor(MAX_PARAMS / columns.length);
      for (const chunk of chunks(rows, per)) {
        const tuple = `(${columns.map(() => '?').join(', ')})`;
        prepared(`insert into ${table} (${columns.join(', ')}) values ${Array(chunk.length).fill(tuple).join(', ')}`).run(chunk.flat());
      }
    },
    async query<T>(text: string, params: readonly Value[] = []) {
      const s = prepared(text);
      return s.reader ? (s.all(...params) as T[]) : (s.run(...params), []);
    },
    async transaction(work) {
      db.exec('begin immediate');
      try {
        await work();
        drainSearchQueue?.();
        db.exec('commit');
      } catch (error) {
        db.exec('rollback');
        throw error;
      }
    },
    async analyze() {},
    async close() {
      db.close();
    },
  };
}

async function postgresSeeder(url: string): Promise<Seeder> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    async insert(table, columns, rows) {
      const per = Math.floor(MAX_PARAMS / columns.length);
      for (const chunk of chunks(rows, per)) {
        let n = 0;
        const tuples = chunk.map(() => `(${columns.map(() => `$${++n}`).join(', ')})`);
        await client.query(`insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')}`, chunk.flat());
      }
    },
    async query<T>(text: string, params: readonly Value[] = []) {
      let n = 0;
      return (await client.query(text.replace(/\?/g, () => `$${++n}`), [...params])).rows as T[];
    },
    async transaction(work) {
      await client.query('begin');
      try {
        await work();
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      }
    },
    async analyze() {
      await client.query('analyze');
    },
    async close() {
      await client.end();
    },
  };
}

export async function openSeeder(databaseUrl: string): Promise<Seeder> {
  if (databaseUrl.startsWith('sqlite:')) return sqliteSeeder(databaseUrl.slice('sqlite:'.length).replace(/^\/\//, ''));
  return postgresSeeder(databaseUrl);
}

export interface SeedConversation {
  id: string;
  ownerId: string;
  memberIds: string[];
  activityAt: string;
}

/** Conversations with their members (owner first), no messages yet. */
export async function seedConversations(seeder: Seeder, conversations: readonly SeedConversation[]): Promise<void> {
  await seeder.transaction(async () => {
    await seeder.insert(
      'conversations',
      ['id', 'title', 'created_by', 'created_at', 'last_seq', 'last_activity_at', 'last_event_seq', 'pruned_event_seq'],
      conversations.map((c) => [c.id, 'growth', c.ownerId, c.activityAt, 0, c.activityAt, 0, 0]),
    );
    await seeder.insert(
      'members',
      ['conversation_id', 'user_id', 'role', 'joined_at', 'last_read_seq'],
      conversations.flatMap((c) => [c.ownerId, ...c.memberIds].map((u, i) => [c.id, u, i === 0 ? 'owner' : 'member', c.activityAt, 0])),
    );
  });
}

export interface MessagePlan {
  conversationId: string;
  senderIds: readonly string[];
  count: number;
}

const CONTENT = 'growth message '.padEnd(64, 'x');
const ROWS_PER_TRANSACTION = 100_000;

/**
 * Appends `count` messages to each conversation, interleaved over them as live traffic would
 * be, stamped from `clock()` (which must not go back); `events`: also log each as
 * `message.created` (else the events up to the new head are marked as no longer kept);
 * `content`: each message's text, called in insertion order (a fixed filler if not given).
 */
export async function seedMessages(seeder: Seeder, plans: readonly MessagePlan[], clock: () => string, events = false, content: (conversationId: string) => string = () => CONTENT): Promise<number> {
  const heads = new Map<string, { seq: number; eventSeq: number; at: string | null }>();
  for (const plan of plans) {
    const [row] = await seeder.query<{ last_seq: number; last_event_seq: number }>('select last_seq, last_event_seq from conversations where id = ?', [plan.conversationId]);
    if (!row) throw new Error(`no conversation ${plan.conversationId}`);
    heads.set(plan.conversationId, { seq: Number(row.last_seq), eventSeq: Number(row.last_event_seq), at: null });
  }
  const rounds = Math.max(0, ...plans.map((p) => p.count));
  let messages: Value[][] = [];
  let logged: Value[][] = [];
  let written = 0;
  const flush = async () => {
    const [m, e] = [messages, logged];
    [messages, logged] = [[], []];
    await seeder.transaction(async () => {
      await seeder.insert('messages', ['message_id', 'conversation_id', 'sender_id', 'content', 'seq', 'created_at', 'version'], m);
      if (e.length > 0) await seeder.insert('conversation_events', ['conversation_id', 'event_seq', 'type', 'actor_id', 'message_id', 'created_at'], e);
    });
    written += m.length;
  };
  for (let r = 0; r < rounds; r++) {
    for (const plan of plans) {
      if (r >= plan.count) continue;
      const head = heads.get(plan.conversationId)!;
      head.seq += 1;
      head.eventSeq += 1;
      const id = crypto.randomUUID();
      const sender = plan.senderIds[r % plan.senderIds.length]!;
      const at = (head.at = clock());
      messages.push([id, plan.conversationId, sender, content(plan.conversationId), head.seq, at, head.eventSeq]);
      if (events) logged.push([plan.conversationId, head.eventSeq, 'message.created', sender, id, at]);
      if (messages.length >= ROWS_PER_TRANSACTION) await flush();
    }
  }
  if (messages.length > 0) await flush();
  await seeder.transaction(async () => {
    for (const plan of plans) {
      const head = heads.get(plan.conversationId)!;
      if (head.at === null) continue;
      const last = head.at;
      const pruned = events ? '' : ', pruned_event_seq = ?';
      await seeder.query(
        `update conversations set last_seq = ?, last_event_seq = ?${pruned}, last_activity_at = ? where id = ?`,
        events ? [head.seq, head.eventSeq, last, plan.conversationId] : [head.seq, head.eventSeq, head.eventSeq, last, plan.conversationId],
      );
    }
  });
  return written;
}
