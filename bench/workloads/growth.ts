/**
 * Cost as work grows (issue #15 item 6): send and history latency with 0, 1 M and 10 M messages
 * already stored, the conversation list of a user in 5,000 conversations, and POST /sync after
 * 10,000 missed events. Stored data is seeded in bulk straight into the database
 * (growth-seed.ts); every request is timed sequentially from here, one at a time.
 *
 * Fixture: users A, B, L (the list's user) and S (sync's). 1,000 "bulk" conversations of A, B
 * and L hold the stored messages, spread evenly and interleaved; L is also in 4,000 small
 * conversations (3 unread messages each) whose activity lies in the past 30 days, so L is in
 * 5,000, the most recently active being the bulk ones (with the most unread). Each stage has
 * its own probe, a bulk conversation no later stage seeds: A sends there, B reads its history.
 * S is in 100 conversations with 100 logged sends each after S's position.
 * Pneumatic only.
 */
import { createAgent, requestRaw } from '../lib/http.js';
import { createUsers, seededRandom } from '../lib/setup.js';
import { quantile, round } from '../lib/stats.js';
import type { RunningTarget } from '../lib/targets.js';
import type { BenchContext } from './context.js';
import { openSeeder, seedConversations, seedMessages } from './growth-seed.js';

export interface GrowthOptions {
  /** Stored messages at each stage, ascending (e.g. 0, 1 M, 10 M). */
  sizes: number[];
  bulkConversations: number;
  listConversations: number;
  syncConversations: number;
  syncEventsPerConversation: number;
  samples: number;
  listPasses: number;
}

export function growthOptions(quick: boolean, sizes?: number[]): GrowthOptions {
  return {
    sizes: sizes ?? (quick ? [0, 100_000] : [0, 1_000_000, 10_000_000]),
    bulkConversations: 1000,
    listConversations: 5000,
    syncConversations: 100,
    syncEventsPerConversation: 100,
    samples: quick ? 300 : 1000,
    listPasses: quick ? 2 : 3,
  };
}

export interface Latency {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export interface GrowthStage {
  storedMessages: number;
  seedSeconds: number;
  send: Latency;
  history: Latency;
  /** Every page of full passes over the list (50 per page), and each pass's total. */
  listPage: Latency;
  listFirstPage: Latency;
  listPassMs: number[];
  sync: Latency & { events: number; bytes: number };
}

export interface GrowthResult {
  workload: 'growth';
  target: string;
  options: GrowthOptions;
  stages: GrowthStage[];
  error?: string;
}

function latency(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  return { count: sorted.length, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: round(sorted.at(-1) ?? 0) };
}

const HOUR_MS = 3_600_000;
const SEEDED_MESSAGE_GAP_MS = 10_000;

export async function runGrowth(ctx: BenchContext, target: RunningTarget, options: GrowthOptions): Promise<GrowthResult> {
  if (!target.databaseUrl) throw new Error('growth needs the server database');
  const [a, b, l, s] = await createUsers(target.baseUrl, 4, 'gr');
  if (!a || !b || !l || !s) throw new Error('users not created');
  const seeder = await openSeeder(target.databaseUrl);
  // A fresh connection after each seeding: minutes idle, the server closed the old one (EPIPE).
  let agent = createAgent(1);
  const random = seededRandom(15);
  // Seeded history is stamped 10 s apart, ending before the live sends: interleaved over 1,000
  // conversations, their latest messages span hours, a few a minute, as a busy user's would.
  // (Stamped 1 ms apart, all 1,000 would share a minute, the list index's worst case.)
  const ticks = (options.sizes.at(-1) ?? 0) + options.bulkConversations + options.syncConversations * (options.syncEventsPerConversation + 1) + 1000;
  let virtualMs = Date.now() - HOUR_MS - ticks * SEEDED_MESSAGE_GAP_MS;
  const clock = () => new Date((virtualMs += SEEDED_MESSAGE_GAP_MS)).toISOString();
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const t0 = performance.now();
    const res = await requestRaw(agent, target.baseUrl, method, path, { token, body, timeoutMs: 120_000 });
    const ms = performance.now() - t0;
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`);
    return { ms, body: res.body };
  };
  try {
    const t0 = Date.now();
    const bulk = Array.from({ length: options.bulkConversations }, () => crypto.randomUUID());
    const small = Array.from({ length: options.listConversations - options.bulkConversations }, () => crypto.randomUUID());
    const synced = Array.from({ length: options.syncConversations }, () => crypto.randomUUID());
    const monthAgo = Date.now() - 30 * 24 * HOUR_MS;
    await seedConversations(seeder, [
      ...bulk.map((id) => ({ id, ownerId: a.id, memberIds: [b.id, l.id], activityAt: clock() })),
      ...small.map((id) => ({ id, ownerId: a.id, memberIds: [l.id], activityAt: new Date(monthAgo + Math.floor(random() * 29 * 24 * HOUR_MS)).toISOString() })),
      ...synced.map((id) => ({ id, ownerId: a.id, memberIds: [s.id], activityAt: clock() })),
    ]);
    // Small conversations: 3 messages each from A, stamped within their own month (a clock per conversation).
    for (const id of small) {
      const [row] = await seeder.query<{ last_activity_at: string | Date }>('select last_activity_at from conversations where id = ?', [id]);
      let at = new Date(row!.last_activity_at).getTime();
      await seedMessages(seeder, [{ conversationId: id, senderIds: [a.id], count: 3 }], () => new Date(at++).toISOString());
    }
    await seeder.query('update conversations set last_event_seq = 1, pruned_event_seq = 0 where id in (' + synced.map(() => '?').join(', ') + ')', synced);
    await seeder.insert('conversation_events', ['conversation_id', 'event_seq', 'type', 'actor_id', 'created_at'], synced.map((id) => [id, 1, 'conversation.created', a.id, clock()]));
    await seedMessages(seeder, synced.map((id) => ({ conversationId: id, senderIds: [a.id], count: options.syncEventsPerConversation })), clock, true);
    const syncPositions = Object.fromEntries(synced.map((id) => [id, 1]));
    ctx.log(`  fixture: ${options.listConversations} conversations for the list's user, ${options.syncConversations} × ${options.syncEventsPerConversation} events for sync (${Math.round((Date.now() - t0) / 1000)} s)`);

    const stages: GrowthStage[] = [];
    let stored = 0;
    const used = new Set<string>();
    for (const [index, size] of options.sizes.entries()) {
      const probe = bulk[index];
      if (!probe) throw new Error('more stages than bulk conversations');
      const seedStart = Date.now();
      // Spread over the bulk conversations no earlier stage probed: a probe's history is never rewritten after its stage.
      const open = bulk.filter((id) => !used.has(id));
      const each = Math.floor((size - stored) / open.length);
      if (each > 0) stored += await seedMessages(seeder, open.map((id) => ({ conversationId: id, senderIds: [a.id, b.id], count: each })), clock);
      await seeder.analyze();
      agent.destroy();
      agent = createAgent(1);
      used.add(probe);
      const seedSeconds = round((Date.now() - seedStart) / 1000, 1);
      ctx.log(`  stage ${index}: ${size.toLocaleString('en')} stored messages (seeded in ${seedSeconds} s)`);

      const sends: number[] = [];
      for (let i = 0; i < options.samples; i++) {
        sends.push((await call('POST', `/conversations/${probe}/messages`, a.token, { message_id: crypto.randomUUID(), content: 'growth send '.padEnd(64, 'x') })).ms);
      }
      const lastSeq = (JSON.parse((await call('GET', `/conversations/${probe}`, b.token)).body.toString('utf8')) as { last_seq: number }).last_seq;
      const history: number[] = [];
      for (let i = 0; i < options.samples; i++) {
        const before = 2 + Math.floor(random() * lastSeq);
        history.push((await call('GET', `/conversations/${probe}/messages?limit=50&before=${before}`, b.token)).ms);
      }
      const pages: number[] = [];
      const firstPages: number[] = [];
      const passes: number[] = [];
      for (let pass = 0; pass < options.listPasses; pass++) {
        let cursor: string | null = null;
        let total = 0;
        let listed = 0;
        do {
          const r = await call('GET', `/conversations?limit=50${cursor ? `&before=${cursor}` : ''}`, l.token);
          const body = JSON.parse(r.body.toString('utf8')) as { conversations: unknown[]; next_cursor: string | null };
          (cursor === null ? firstPages : pages).push(r.ms);
          total += r.ms;
          listed += body.conversations.length;
          cursor = body.next_cursor;
        } while (cursor !== null);
        if (listed !== options.listConversations) throw new Error(`the list's user saw ${listed} conversations, not ${options.listConversations}`);
        passes.push(round(total));
      }
      const syncs: number[] = [];
      let events = 0;
      let bytes = 0;
      for (let i = 0; i < Math.max(5, options.samples / 50); i++) {
        const r = await call('POST', '/sync', s.token, { conversations: syncPositions, messages_limit: 0 });
        syncs.push(r.ms);
        bytes = r.body.length;
        events = (JSON.parse(r.body.toString('utf8')) as { conversations: { events?: unknown[] }[] }).conversations.reduce((n, c) => n + (c.events?.length ?? 0), 0);
      }
      const stage: GrowthStage = {
        storedMessages: stored,
        seedSeconds,
        send: latency(sends),
        history: latency(history),
        listPage: latency([...firstPages, ...pages]),
        listFirstPage: latency(firstPages),
        listPassMs: passes,
        sync: { ...latency(syncs), events, bytes },
      };
      ctx.log(
        `    send p50/p99 ${stage.send.p50}/${stage.send.p99} ms; history ${stage.history.p50}/${stage.history.p99} ms; ` +
          `list page ${stage.listPage.p50}/${stage.listPage.p99} ms (first page p99 ${stage.listFirstPage.p99}), full pass ${passes.join(', ')} ms; ` +
          `sync (${events} events, ${(bytes / 1e6).toFixed(1)} MB) ${stage.sync.p50}/${stage.sync.p99} ms`,
      );
      stages.push(stage);
    }
    return { workload: 'growth', target: target.kind, options, stages };
  } finally {
    agent.destroy();
    await seeder.close();
  }
}

