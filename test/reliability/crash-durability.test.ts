/**
 * Crash durability: 20 clients send 10,000 messages over WebSockets while the server process is
 * killed with SIGKILL at about 25%, 50% and 75% of the run and restarted on the same database.
 * Clients resend every unacknowledged message with the same message_id after reconnecting.
 * Afterwards every acknowledged message is stored exactly once, with the seq and content it was
 * acknowledged with, seq is gapless in every conversation, and the database passes its
 * integrity check.
 */
import { randomUUID } from 'node:crypto';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { createConversation, registerUser, type TestUser } from '../helpers/api-client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { enabledDialects, type Dialect } from '../helpers/dialects.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';

const CLIENTS = 20;
const CONVERSATIONS = 10;
const MESSAGES = 10_000;
const PER_CLIENT = MESSAGES / CLIENTS;
const WINDOW = 16;
const KILL_AT = [0.25, 0.5, 0.75];

interface Acked {
  seq: number;
  conversation_id: string;
  content: string;
}

/** Sends its messages with a window of unacknowledged frames; resends all of them after a reconnect. */
class DurableSender {
  readonly acked = new Map<string, Acked>();
  private readonly queue: string[] = [];
  private readonly inflight = new Set<string>();
  private readonly contents = new Map<string, string>();
  private ws: WebSocket | null = null;
  private done!: () => void;
  readonly finished = new Promise<void>((resolve) => (this.done = resolve));
  reconnects = 0;
  resends = 0;

  constructor(
    private readonly wsUrl: string,
    private readonly token: string,
    readonly conversationId: string,
    index: number,
  ) {
    for (let i = 0; i < PER_CLIENT; i++) {
      const id = randomUUID();
      this.queue.push(id);
      this.contents.set(id, `client ${index} message ${i}`);
    }
  }

  start(): void {
    void this.connect();
  }

  private async connect(): Promise<void> {
    for (;;) {
      const ws = await new Promise<WebSocket | null>((resolve) => {
        const socket = new WebSocket(`${this.wsUrl}/ws`, { headers: { authorization: `Bearer ${this.token}` } });
        socket.once('open', () => resolve(socket));
        socket.once('error', () => resolve(null));
        socket.once('unexpected-response', () => {
          socket.terminate();
          resolve(null);
        });
      });
      if (ws) {
        this.attach(ws);
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private attach(ws: WebSocket): void {
    this.ws = ws;
    ws.on('error', () => {});
    ws.on('message', (data) => this.onFrame(JSON.parse(data.toString())));
    ws.on('close', () => {
      this.ws = null;
      // Whatever was in flight may or may not be stored: send it again, same message_id.
      this.resends += this.inflight.size;
      this.queue.unshift(...this.inflight);
      this.inflight.clear();
      if (this.acked.size < PER_CLIENT) {
        this.reconnects++;
        void this.connect();
      }
    });
    this.pump();
  }

  private onFrame(frame: { type: string; message_id?: string; ref?: string | null; message?: Acked & { message_id: string } }): void {
    if (frame.type === 'ack' && frame.message_id && frame.message && this.inflight.delete(frame.message_id)) {
      const { seq, conversation_id, content } = frame.message;
      this.acked.set(frame.message_id, { seq, conversation_id, content });
      if (this.acked.size === PER_CLIENT) this.done();
      this.pump();
    } else if (frame.type === 'error' && frame.ref && this.inflight.delete(frame.ref)) {
      // e.g. unavailable while the database recovers: retry shortly.
      this.queue.push(frame.ref);
      setTimeout(() => this.pump(), 50);
    }
  }

  private pump(): void {
    while (this.ws?.readyState === WebSocket.OPEN && this.inflight.size < WINDOW && this.queue.length > 0) {
      const id = this.queue.shift()!;
      this.inflight.add(id);
      this.ws.send(JSON.stringify({ type: 'message', message_id: id, conversation_id: this.conversationId, content: this.contents.get(id) }));
    }
  }

  stop(): void {
    this.ws?.removeAllListeners('close');
    this.ws?.terminate();
  }
}

interface StoredRow {
  message_id: string;
  conversation_id: string;
  seq: number;
  content: string;
}

async function readRows(dialect: Dialect, database: TestDatabase): Promise<{ rows: StoredRow[]; lastSeq: Map<string, number>; integrity: string[] }> {
  if (dialect === 'sqlite') {
    const db = new SQLite(database.path!);
    try {
      const rows = db.prepare('select message_id, conversation_id, seq, content from messages').all() as StoredRow[];
      const counters = db.prepare('select id, last_seq from conversations').all() as { id: string; last_seq: number }[];
      const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
      const fk = db.pragma('foreign_key_check') as unknown[];
      if (fk.length > 0) integrity.push(`foreign_key_check: ${JSON.stringify(fk)}`);
      return { rows, lastSeq: new Map(counters.map((c) => [c.id, Number(c.last_seq)])), integrity };
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const rows = (await client.query<StoredRow>('select message_id::text, conversation_id::text, seq, content from messages')).rows;
    const counters = (await client.query<{ id: string; last_seq: number }>('select id::text, last_seq from conversations')).rows;
    const integrity: string[] = [];
    let amcheck = false;
    try {
      await client.query('create extension if not exists amcheck');
      amcheck = true;
    } catch {
      // not installed or no privilege: the constraint queries below still run
    }
    if (amcheck) {
      const indexes = (
        await client.query<{ oid: string; name: string }>(
          `select c.oid::text as oid, c.relname as name from pg_index i join pg_class c on c.oid = i.indexrelid
           join pg_namespace n on n.oid = c.relnamespace join pg_am a on a.oid = c.relam
           where n.nspname = 'public' and a.amname = 'btree'`,
        )
      ).rows;
      for (const index of indexes) {
        try {
          await client.query('select bt_index_check($1::regclass, true)', [index.oid]);
        } catch (error) {
          integrity.push(`bt_index_check ${index.name}: ${(error as Error).message}`);
        }
      }
      integrity.push(`amcheck: ${indexes.length} btree indexes checked`);
    }
    // Constraints, verified by query: unique ids, unique (conversation, seq), no orphans.
    const checks: [string, string][] = [
      ['duplicate message_id', 'select count(*) - count(distinct message_id) as n from messages'],
      ['duplicate (conversation_id, seq)', 'select count(*) as n from (select conversation_id, seq from messages group by 1, 2 having count(*) > 1) d'],
      ['message without conversation', 'select count(*) as n from messages m left join conversations c on c.id = m.conversation_id where c.id is null'],
      ['message without sender', 'select count(*) as n from messages m left join users u on u.id = m.sender_id where u.id is null'],
      ['member without conversation', 'select count(*) as n from members m left join conversations c on c.id = m.conversation_id where c.id is null'],
    ];
    for (const [name, query] of checks) {
      const n = Number((await client.query<{ n: string }>(query)).rows[0]!.n);
      if (n !== 0) integrity.push(`${name}: ${n}`);
    }
    return { rows, lastSeq: new Map(counters.map((c) => [c.id, Number(c.last_seq)])), integrity };
  } finally {
    await client.end();
  }
}

function sqliteIntegrity(path: string): string {
  const db = new SQLite(path);
  try {
    return (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

for (const dialect of enabledDialects()) {
  // The dialects run side by side: most of each run is waiting for restarts.
  describe.concurrent(`crash durability [${dialect}]`, () => {
    let database: TestDatabase | undefined;
    let server: ServerProcess | undefined;
    const senders: DurableSender[] = [];

    afterAll(async () => {
      for (const sender of senders) sender.stop();
      await server?.stop('SIGKILL');
      await database?.drop();
    });

    it(`stores every acknowledged message exactly once, gapless, across ${KILL_AT.length} SIGKILLs`, async () => {
      database = await createTestDatabase(dialect);
      const env = { DATABASE_URL: database.url, RATE_LIMITS: 'off', LOG_LEVEL: 'error' };
      server = await spawnServer(env);
      const port = server.port;
      const users: TestUser[] = [];
      for (let i = 0; i < CLIENTS; i++) users.push(await registerUser(server.url, 'crash'));
      const conversationIds: string[] = [];
      for (let c = 0; c < CONVERSATIONS; c++) {
        const group = users.filter((_, i) => i % CONVERSATIONS === c);
        conversationIds.push((await createConversation(group[0]!, group.slice(1), `crash ${c}`)).id);
      }
      users.forEach((user, i) => senders.push(new DurableSender(server!.wsUrl, user.token, conversationIds[i % CONVERSATIONS]!, i)));

      const started = Date.now();
      const totalAcked = () => senders.reduce((n, s) => n + s.acked.size, 0);
      for (const sender of senders) sender.start();
      const kills: string[] = [];
      for (const fraction of KILL_AT) {
        while (totalAcked() < MESSAGES * fraction) await new Promise((r) => setTimeout(r, 20));
        const ackedBefore = totalAcked();
        await server.stop('SIGKILL');
        const killedAt = Date.now();
        if (dialect === 'sqlite') expect(sqliteIntegrity(database.path!)).toBe('ok');
        server = await spawnServer(env, { port });
        kills.push(`${Math.round((ackedBefore / MESSAGES) * 100)}% (${ackedBefore} acked, restart ${Date.now() - killedAt} ms)`);
      }
      await Promise.race([
        Promise.all(senders.map((s) => s.finished)),
        new Promise((_, reject) => setTimeout(() => reject(new Error(`only ${totalAcked()} of ${MESSAGES} acked`)), 150_000)),
      ]);
      const elapsed = Date.now() - started;
      for (const sender of senders) sender.stop();
      await server.stop('SIGTERM');

      const { rows, lastSeq, integrity } = await readRows(dialect, database);
      const byId = new Map(rows.map((r) => [r.message_id, r]));
      let missing = 0;
      let changed = 0;
      for (const sender of senders) {
        for (const [id, acked] of sender.acked) {
          const row = byId.get(id);
          if (!row) missing++;
          else if (Number(row.seq) !== acked.seq || row.content !== acked.content || row.conversation_id !== acked.conversation_id) changed++;
        }
      }
      const gaps: string[] = [];
      for (const conversationId of conversationIds) {
        const seqs = rows.filter((r) => r.conversation_id === conversationId).map((r) => Number(r.seq)).sort((a, b) => a - b);
        const gapless = seqs.every((seq, i) => seq === i + 1);
        if (!gapless || lastSeq.get(conversationId) !== seqs.length) gaps.push(`${conversationId}: ${seqs.length} rows, last_seq ${lastSeq.get(conversationId)}, gapless ${gapless}`);
      }
      const resends = senders.reduce((n, s) => n + s.resends, 0);
      const reconnects = senders.reduce((n, s) => n + s.reconnects, 0);
      console.log(
        `[crash-durability ${dialect}] ${MESSAGES} messages from ${CLIENTS} clients in ${elapsed} ms; kills at ${kills.join(', ')}; ` +
          `${reconnects} reconnects, ${resends} resends; stored ${rows.length}, missing ${missing}, changed ${changed}, gaps ${gaps.length}; integrity: ${integrity.join('; ') || 'ok'}`,
      );
      expect(totalAcked()).toBe(MESSAGES);
      expect(rows.length).toBe(MESSAGES);
      expect(new Set(rows.map((r) => r.message_id)).size).toBe(MESSAGES);
      expect(missing).toBe(0);
      expect(changed).toBe(0);
      expect(gaps).toEqual([]);
      if (dialect === 'sqlite') expect(integrity).toEqual(['ok']);
      else expect(integrity.filter((line) => !line.startsWith('amcheck:'))).toEqual([]);
    }, 240_000);
  });
}
