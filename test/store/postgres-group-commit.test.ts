/**
 * PostgreSQL group commit across processes: several stores on one database (as several server
 * processes would be), each writing batches that span the same conversations in different
 * orders. Conversation rows are locked in id order, so no batch deadlocks; seqs and event_seqs
 * stay gapless and in commit order, every send is stored once with its event, and resends
 * (within a batch, across batches and across stores) get the stored message back.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppendResult } from '../../src/domain/ports/repositories.js';
import { openStore, type SqlStore } from '../../src/store/store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { enabledDialects } from '../helpers/dialects.js';

const describeIfPostgres = enabledDialects().includes('postgres') ? describe : describe.skip;

describeIfPostgres('PostgreSQL group commit, several stores on one database', () => {
  let database: TestDatabase;
  const stores: SqlStore[] = [];
  const options = { poolMax: 4, statementTimeoutMs: 10_000, connectTimeoutMs: 5_000, sqliteBusyTimeoutMs: 5_000, cacheInProcess: false };

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    stores.push(await openStore(database.url, options));
    for (let i = 0; i < 2; i++) stores.push(await openStore(database.url, options, false));
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    await database?.drop();
  });

  it('batches spanning the same conversations in opposite orders neither deadlock nor leave gaps; resends get the stored message', async () => {
    const owner = randomUUID();
    await stores[0]!.users.create({ id: owner, username: `gc${owner.slice(0, 8)}`, created_at: new Date().toISOString(), password_hash: 'h' });
    const conversations: string[] = [];
    for (let i = 0; i < 8; i++) {
      const id = randomUUID();
      await stores[0]!.conversations.create({ id, title: 't', created_by: owner, created_at: new Date().toISOString(), member_ids: [] });
      conversations.push(id);
    }
    const ids: string[] = [];
    const sends: Promise<AppendResult>[] = [];
    for (let round = 0; round < 20; round++) {
      stores.forEach((store, s) => {
        // Each store walks the conversations in its own order, so its batches list them differently.
        const order = s % 2 === 0 ? conversations : [...conversations].reverse();
        for (const [i, conversation_id] of order.entries()) {
          const resend = (round + i + s) % 9 === 0 && ids.length > 0;
          const message_id = resend ? ids[(round * 7 + i) % ids.length]! : randomUUID();
          if (!resend) ids.push(message_id);
          sends.push(store.messages.append({ message_id, conversation_id, sender_id: owner, content: `r${round}` }));
        }
      });
    }
    const results = await Promise.all(sends);
    expect(results.filter((r) => r.kind === 'created')).toHaveLength(ids.length);
    const byId = new Map(results.filter((r) => r.kind === 'created').map((r) => [r.message.message_id, r.message]));
    for (const r of results.filter((r) => r.kind === 'existing')) expect(r.message).toEqual(byId.get(r.message.message_id));

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      for (const conversation of conversations) {
        const { rows } = await client.query<{ seq: number; version: number; created_at: Date; event_seq: number | null }>(
          `select m.seq, m.version, m.created_at, e.event_seq from messages m
             left join conversation_events e on e.conversation_id = m.conversation_id and e.message_id = m.message_id and e.type = 'message.created'
            where m.conversation_id = $1 order by m.seq`,
          [conversation],
        );
        expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
        expect(rows.every((r) => r.event_seq === r.version)).toBe(true);
        expect(rows.map((r) => r.version)).toEqual([...rows.map((r) => r.version)].sort((a, b) => a - b));
        const times = rows.map((r) => r.created_at.getTime());
        expect(times).toEqual([...times].sort((a, b) => a - b));
        expect(await stores[1]!.conversations.lastSeq(conversation)).toBe(rows.length);
      }
      // A deadlock would not show above (its batch is written again send by send), so ask.
      const { rows } = await client.query<{ deadlocks: string }>('select deadlocks from pg_stat_database where datname = current_database()');
      expect(Number(rows[0]!.deadlocks)).toBe(0);
    } finally {
      await client.end();
    }
  });
});
