/** Populates a server through its real HTTP API (POST /users, POST /conversations) with bounded concurrency. */
import { createAgent, mapBounded, requestJson } from './http.js';
import type { ConversationSpec } from './protocol.js';
import { activePushSink } from './push-sink.js';

export interface BenchUser {
  id: string;
  token: string;
}

/** A conversation by user indexes; the first member creates it (and becomes its owner). */
export interface ConversationPlan {
  members: number[];
}

const CONCURRENCY = 16;
let runTag = `${Date.now().toString(36)}${process.pid.toString(36)}`;

export function resetRunTag(tag: string): void {
  runTag = tag;
}

/** Bumped by every createUsers call: a workload run again on the same server (its next round) makes new names. */
let batch = 0;

export async function createUsers(baseUrl: string, count: number, prefix: string): Promise<BenchUser[]> {
  const agent = createAgent(CONCURRENCY);
  const tag = `${runTag}${(batch++).toString(36)}`;
  try {
    return await mapBounded(Array.from({ length: count }, (_, i) => i), CONCURRENCY, async (i) => {
      const username = `${prefix}${tag}_${i}`;
      if (username.length > 32) throw new Error(`bench username ${username} is longer than 32 characters`);
      const body = await requestJson<{ user: { id: string }; token: string }>(agent, baseUrl, 'POST', '/users', {
        body: { username, password: 'benchmark-password' },
      });
      // --push: each user's browser is subscribed to the runner's push sink (push-sink.ts).
      await activePushSink()?.subscribe(agent, baseUrl, body.token);
      return { id: body.user.id, token: body.token };
    });
  } finally {
    agent.destroy();
  }
}

export async function createConversations(baseUrl: string, users: BenchUser[], plans: ConversationPlan[]): Promise<ConversationSpec[]> {
  const agent = createAgent(CONCURRENCY);
  try {
    return await mapBounded(plans, CONCURRENCY, async (plan, n) => {
      const [owner, ...others] = plan.members.map((i) => users[i]!);
      const body = await requestJson<{ id: string }>(agent, baseUrl, 'POST', '/conversations', {
        token: owner!.token,
        body: { title: `bench ${n}`, member_ids: others.map((u) => u.id) },
      });
      return { id: body.id, memberIds: [owner!.id, ...others.map((u) => u.id)] };
    });
  } finally {
    agent.destroy();
  }
}

/** A small deterministic PRNG (mulberry32), so every run builds the same topology. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
