/**
 * Setup for the change-feed workload, through the real HTTP API: one reader in N conversations,
 * each with another member who owns it; the reader's positions are recorded, then the other
 * member makes 10 changes in each conversation (sends, edits, a delete, a rename).
 */
import type { SyncResponse } from '@pneumatic/protocol';
import { createAgent, requestJson } from '../lib/http.js';
import type { HttpRequestSpec, PopulateResult } from '../lib/protocol.js';
import { createConversations, createUsers, type BenchUser } from '../lib/setup.js';
import type { RunningTarget } from '../lib/targets.js';
import type { BenchContext } from './context.js';

/** The 10 changes per conversation: 6 sends, then 2 edits, 1 delete and 1 rename. */
export const SENDS_PER_CONVERSATION = 6;
export const CHANGES_PER_CONVERSATION = SENDS_PER_CONVERSATION + 4;

export interface SyncFixture {
  reader: BenchUser;
  /** The reader's position in each conversation before the changes (conversation id → event_seq). */
  positions: Record<string, number>;
  setupMs: number;
}

/** POST /sync for `user`; positions {} answers a snapshot (with its last_event_seq) of every conversation. */
export function postSync(baseUrl: string, user: BenchUser, positions: Record<string, number>): Promise<SyncResponse> {
  const agent = createAgent(1);
  return requestJson<SyncResponse>(agent, baseUrl, 'POST', '/sync', { token: user.token, body: { conversations: positions, messages_limit: 0 } }).finally(() => agent.destroy());
}

/** Each conversation's current head (`last_event_seq`) as the reader sees it. */
export function headsOf(response: SyncResponse): Record<string, number> {
  const heads: Record<string, number> = {};
  for (const entry of response.conversations) {
    if (entry.status === 'events') heads[entry.conversation_id] = entry.last_event_seq;
    else if (entry.status === 'snapshot') heads[entry.conversation_id] = entry.snapshot.conversation.last_event_seq;
  }
  return heads;
}

async function populate(ctx: BenchContext, target: RunningTarget, requests: HttpRequestSpec[], what: string): Promise<void> {
  const r = await ctx.generator.send<PopulateResult>({ cmd: 'populate', baseUrl: target.baseUrl, requests, concurrency: 8 });
  if (r.failed > 0) throw new Error(`${what}: ${r.failed} of ${requests.length} requests failed: ${r.errors.join('; ')}`);
  ctx.log(`  ${what}: ${r.ok} requests in ${Math.round(r.elapsedMs)} ms`);
}

export async function prepareSync(ctx: BenchContext, target: RunningTarget, conversationCount: number): Promise<SyncFixture> {
  const t0 = Date.now();
  // User 0 is the reader; user c + 1 creates conversation c (so owns it and may rename it).
  const users = await createUsers(target.baseUrl, conversationCount + 1, 'sy');
  const reader = users[0]!;
  const conversations = await createConversations(target.baseUrl, users, Array.from({ length: conversationCount }, (_, c) => ({ members: [c + 1, 0] })));
  const positions = headsOf(await postSync(target.baseUrl, reader, {}));
  const missing = conversations.filter((c) => positions[c.id] === undefined).length;
  if (missing > 0) throw new Error(`POST /sync with no positions left out ${missing} of the reader's ${conversationCount} conversations`);
  ctx.log(`  ${conversationCount} conversations created, positions recorded`);

  // Sends first (edits and deletes need the messages), interleaved over conversations as live traffic would be.
  const messageIds = conversations.map(() => Array.from({ length: SENDS_PER_CONVERSATION }, () => crypto.randomUUID()));
  const sends: HttpRequestSpec[] = [];
  for (let m = 0; m < SENDS_PER_CONVERSATION; m++) {
    conversations.forEach((conversation, c) => {
      sends.push({ path: `/conversations/${conversation.id}/messages`, token: users[c + 1]!.token, body: { message_id: messageIds[c]![m], content: `sync message ${m} `.padEnd(64, 'x') } });
    });
  }
  await populate(ctx, target, sends, 'sends');
  const others: HttpRequestSpec[] = [];
  conversations.forEach((conversation, c) => {
    const token = users[c + 1]!.token;
    const [first, second, third] = messageIds[c]!;
    others.push(
      { method: 'PATCH', path: `/messages/${first}`, token, body: { content: 'edited once '.padEnd(64, 'y') } },
      { method: 'PATCH', path: `/messages/${second}`, token, body: { content: 'edited too '.padEnd(64, 'y') } },
      { method: 'DELETE', path: `/messages/${third}`, token },
      { method: 'PATCH', path: `/conversations/${conversation.id}`, token, body: { title: `bench ${c} renamed` } },
    );
  });
  await populate(ctx, target, others, 'edits, deletes and renames');
  return { reader, positions, setupMs: Date.now() - t0 };
}
