/**
 * The retention workload's fixture (retention-jobs.ts), on a fresh server:
 *
 * - an admin, signed up through the API under the name the server's ADMIN_USERNAMES lists (so
 *   the server makes it an admin as it signs up, as it would a real one);
 * - the live small groups (topologies.ts) through the API, for the send load;
 * - the expired messages: N in bulk straight into the database (growth-seed.ts), 400 days old,
 *   over 100 conversations of two other users, for the retention job to delete;
 * - user X's messages: N more in bulk, a day old, over 100 conversations of X's, for the
 *   message removal to delete.
 *
 * Nobody connected is in a seeded conversation: what the jobs announce reaches no socket of
 * the load, so the load measures the jobs' cost to sends, not their frames.
 */
import { createAgent, requestJson } from '../lib/http.js';
import type { ConversationSpec } from '../lib/protocol.js';
import { createConversations, createUsers, type BenchUser } from '../lib/setup.js';
import { round } from '../lib/stats.js';
import type { RunningTarget } from '../lib/targets.js';
import type { BenchContext } from './context.js';
import { seedConversations, seedMessages, type Seeder } from './growth-seed.js';
import type { Topology } from './topologies.js';

/** The workload's admin: the server is started with ADMIN_USERNAMES naming it. */
export const RETENTION_ADMIN = 'retention_admin';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface RetentionFixtureOptions {
  /** Messages past the retention period, and the conversations they are spread over. */
  expiredMessages: number;
  expiredConversations: number;
  /** How old the expired messages are (the oldest; the rest follow within 300 days at most). */
  expiredAgeDays: number;
  /** User X's messages, and X's conversations they are spread over. */
  removalMessages: number;
  removalConversations: number;
  /** How old X's messages are (the oldest; the rest follow within 6 hours). */
  removalAgeHours: number;
}

export interface RetentionFixture {
  admin: BenchUser;
  /** User X: the author whose messages the removal deletes. */
  author: BenchUser;
  live: { users: BenchUser[]; conversations: ConversationSpec[] };
  expiredConversationIds: string[];
  expiredMessages: number;
  removalMessages: number;
  /** Users and conversations through the API (admin, X, the live groups). */
  setupSeconds: number;
  /** Each bulk seeding, the search index's triggers included. */
  expiredSeedSeconds: number;
  removalSeedSeconds: number;
}

/** A clock from `startMs`, `gapMs` apart: seedMessages stamps each message from it. */
function clockFrom(startMs: number, gapMs: number): () => string {
  let at = startMs - gapMs;
  return () => new Date((at += gapMs)).toISOString();
}

/** `count` messages spread evenly over `conversations`, from `senders` in turn. */
function spreadOver(conversations: readonly string[], senders: readonly string[], count: number) {
  const base = Math.floor(count / conversations.length);
  const extra = count - base * conversations.length;
  return conversations.map((conversationId, i) => ({ conversationId, senderIds: senders, count: base + (i < extra ? 1 : 0) }));
}

async function signUpAdmin(target: RunningTarget): Promise<BenchUser> {
  const agent = createAgent(1);
  try {
    const body = await requestJson<{ user: { id: string }; token: string }>(agent, target.baseUrl, 'POST', '/users', {
      body: { username: RETENTION_ADMIN, password: 'benchmark-password' },
    });
    // Fails here, clearly, when the server did not make it an admin (ADMIN_USERNAMES not passed).
    await requestJson(agent, target.baseUrl, 'GET', '/admin/retention', { token: body.token });
    return { id: body.user.id, token: body.token };
  } finally {
    agent.destroy();
  }
}

export async function seedRetentionFixture(ctx: BenchContext, target: RunningTarget, seeder: Seeder, topology: Topology, options: RetentionFixtureOptions): Promise<RetentionFixture> {
  const t0 = Date.now();
  const admin = await signUpAdmin(target);
  const [author, other, third] = await createUsers(target.baseUrl, 3, 'rj');
  if (!author || !other || !third) throw new Error('users not created');
  const users = await createUsers(target.baseUrl, topology.users, 'rl');
  const conversations = await createConversations(target.baseUrl, users, topology.conversations);
  const setupSeconds = round((Date.now() - t0) / 1000, 1);
  ctx.log(`  admin ${RETENTION_ADMIN}, user X and ${users.length} live users in ${conversations.length} groups through the API (${setupSeconds} s)`);

  // Expired: spread over at most 300 days from 400 days ago, so every one is past any period under 100 days.
  const expiredStart = Date.now() - options.expiredAgeDays * DAY_MS;
  const expiredClock = clockFrom(expiredStart, Math.max(1, Math.min(1000, Math.floor((300 * DAY_MS) / options.expiredMessages))));
  const expiredConversationIds = Array.from({ length: options.expiredConversations }, () => crypto.randomUUID());
  let seedStart = Date.now();
  const expiredAt = new Date(expiredStart).toISOString();
  await seedConversations(seeder, expiredConversationIds.map((id) => ({ id, ownerId: other.id, memberIds: [third.id], activityAt: expiredAt })));
  const expiredMessages = await seedMessages(seeder, spreadOver(expiredConversationIds, [other.id, third.id], options.expiredMessages), expiredClock);
  await seeder.analyze();
  const expiredSeedSeconds = round((Date.now() - seedStart) / 1000, 1);
  ctx.log(`  seeded ${expiredMessages.toLocaleString('en')} messages ${options.expiredAgeDays} days old over ${options.expiredConversations} conversations in ${expiredSeedSeconds} s (${Math.round(expiredMessages / Math.max(expiredSeedSeconds, 0.001)).toLocaleString('en')}/s, index included)`);

  // X's: within 6 hours from a little more than a day ago, well inside any retention period.
  const removalStart = Date.now() - options.removalAgeHours * HOUR_MS;
  const removalClock = clockFrom(removalStart, Math.max(1, Math.floor((6 * HOUR_MS) / options.removalMessages)));
  const removalConversationIds = Array.from({ length: options.removalConversations }, () => crypto.randomUUID());
  seedStart = Date.now();
  const removalAt = new Date(removalStart).toISOString();
  await seedConversations(seeder, removalConversationIds.map((id) => ({ id, ownerId: author.id, memberIds: [other.id], activityAt: removalAt })));
  const removalMessages = await seedMessages(seeder, spreadOver(removalConversationIds, [author.id], options.removalMessages), removalClock);
  await seeder.analyze();
  const removalSeedSeconds = round((Date.now() - seedStart) / 1000, 1);
  ctx.log(`  seeded ${removalMessages.toLocaleString('en')} messages of user X, ${options.removalAgeHours} hours old, over ${options.removalConversations} conversations in ${removalSeedSeconds} s`);

  return {
    admin,
    author,
    live: { users, conversations },
    expiredConversationIds,
    expiredMessages,
    removalMessages,
    setupSeconds,
    expiredSeedSeconds,
    removalSeedSeconds,
  };
}
