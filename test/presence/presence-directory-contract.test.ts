/**
 * The two presence directories obey the same rules: the in-memory one (one process), which calls
 * the domain's functions, and the Redis one, whose Lua script restates them. Same cases, same
 * answers; then what only Redis does: several processes' shares of one user, and a dead
 * process's shares withdrawn by a survivor.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { PresenceDirectory, PublishOutcome } from '../../src/domain/ports/presence.js';
import type { PresenceShare } from '../../src/domain/presence.js';
import { MemoryPresenceDirectory } from '../../src/presence/memory-presence-directory.js';
import { RedisPresenceDirectory } from '../../src/presence/redis-presence-directory.js';
import { RedisClients } from '../../src/redis/redis-clients.js';

const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
const redisUp = process.env.PNEUMATIC_TEST_REDIS === 'up';
const WINDOW = 3000;
const T = 1_767_000_000_000;
const quiet = { debug() {}, info() {}, warn() {}, error() {}, child() { return quiet; } } as any;

const online = (viewing: string[] = [], lastActiveAt = T): PresenceShare => ({ status: 'online', lastActiveAt, viewing });
const away = (lastActiveAt: number): PresenceShare => ({ status: 'away', lastActiveAt, viewing: [] });

const clients: RedisClients[] = [];
async function redisDirectory(prefix: string, heartbeatMs = 60_000, windowMs = WINDOW): Promise<RedisPresenceDirectory> {
  const redis = RedisClients.single(REDIS_URL, quiet);
  clients.push(redis);
  await redis.ready(2000);
  return new RedisPresenceDirectory(redis.commands, { prefix, processId: randomUUID(), windowMs, heartbeatMs, log: quiet });
}

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

const subjects: Array<[string, () => Promise<PresenceDirectory>, boolean]> = [
  ['memory', async () => new MemoryPresenceDirectory(WINDOW), true],
  ['redis', () => redisDirectory(`test-${randomUUID()}:`), redisUp],
];

for (const [name, open, available] of subjects) {
  describe.skipIf(!available)(`presence directory contract [${name}]`, () => {
    const decision = (outcome: PublishOutcome) => outcome.decision;

    it('sends the first change at once, holds the next within the window, and sends the latest status when it ends', async () => {
      const directory = await open();
      const user = randomUUID();
      expect(await directory.publish(user, null, online(), T, T)).toEqual({ status: 'online', seenAt: T, decision: { kind: 'send' } });
      expect(await directory.publish(user, online(), away(T), null, T + 1000)).toMatchObject({ status: 'away', decision: { kind: 'hold', until: T + WINDOW } });
      expect(await directory.publish(user, away(T), null, T + 2000, T + 2000)).toMatchObject({ status: 'offline', seenAt: T + 2000, decision: { kind: 'hold', until: T + WINDOW } });
      expect(decision(await directory.recheck(user, T + WINDOW))).toEqual({ kind: 'send' });
      // Sent: nothing more to say.
      expect(decision(await directory.recheck(user, T + WINDOW + 1))).toEqual({ kind: 'none' });
    });

    it('sends nothing for a flap that ends where it started, in the window or after it', async () => {
      const directory = await open();
      const user = randomUUID();
      expect(decision(await directory.publish(user, null, online(), T, T))).toEqual({ kind: 'send' });
      expect(decision(await directory.publish(user, online(), null, T + 100, T + 100))).toEqual({ kind: 'hold', until: T + WINDOW });
      expect(decision(await directory.publish(user, null, online(), T + 200, T + 200))).toEqual({ kind: 'none' });
      expect(decision(await directory.recheck(user, T + WINDOW))).toEqual({ kind: 'none' });
    });

    it('sends a change after the window at once, and nothing for a user never seen going offline', async () => {
      const directory = await open();
      const user = randomUUID();
      await directory.publish(user, null, online(), T, T);
      expect(decision(await directory.publish(user, online(), null, T + WINDOW, T + WINDOW))).toEqual({ kind: 'send' });
      expect(decision(await directory.publish(randomUUID(), null, null, null, T))).toEqual({ kind: 'none' });
    });

    it('reads status and the latest last-seen moment, and nothing for users it does not hold', async () => {
      const directory = await open();
      const [here, gone, never] = [randomUUID(), randomUUID(), randomUUID()];
      await directory.publish(here, null, away(T - 5000), T - 5000, T);
      await directory.publish(gone, null, online(), T, T);
      await directory.publish(gone, online(), null, T + 10, T + 10);
      await directory.publish(gone, null, null, T - 1, T + 20);
      const read = await directory.read([here, gone, never]);
      expect(read.get(here)).toEqual({ status: 'away', seenAt: T - 5000 });
      expect(read.get(gone)).toEqual({ status: 'offline', seenAt: T + 10 });
      expect(read.has(never)).toBe(false);
    });

    it('knows who views a conversation as shares change', async () => {
      const directory = await open();
      const [a, b] = [randomUUID(), randomUUID()];
      const [c1, c2] = [randomUUID(), randomUUID()].sort();
      await directory.publish(a, null, online([c1!]), T, T);
      await directory.publish(b, null, online([c1!, c2!]), T, T);
      expect(await directory.viewersOf(c1!, [a, b, randomUUID()])).toEqual(new Set([a, b]));
      await directory.publish(a, online([c1!]), online([c2!]), T, T + 1);
      expect(await directory.viewersOf(c1!, [a, b])).toEqual(new Set([b]));
      expect(await directory.viewersOf(c2!, [a])).toEqual(new Set([a]));
      await directory.publish(b, online([c1!, c2!]), null, T, T + 2);
      expect(await directory.viewersOf(c1!, [a, b])).toEqual(new Set());
      expect(await directory.viewersOf(c2!, [a, b])).toEqual(new Set([a]));
    });
  });
}

describe.skipIf(!redisUp)('presence directory [redis, several processes]', () => {
  it('combines the shares of every process: online while any is, away while any share is left', async () => {
    const prefix = `test-${randomUUID()}:`;
    const [one, two] = [await redisDirectory(prefix), await redisDirectory(prefix)];
    const user = randomUUID();
    expect(decision(await one.publish(user, null, online(), T, T))).toEqual({ kind: 'send' });
    expect(decision(await two.publish(user, null, away(T - 9000), T - 9000, T + WINDOW))).toEqual({ kind: 'none' });
    expect(await one.publish(user, online(), null, T + WINDOW, T + WINDOW)).toMatchObject({ status: 'away', decision: { kind: 'send' } });
    expect((await two.read([user])).get(user)).toEqual({ status: 'away', seenAt: T + WINDOW });
  });

  it("withdraws a dead process's shares from a survivor within two heartbeat intervals, with the frame that follows", async () => {
    const prefix = `test-${randomUUID()}:`;
    const heartbeatMs = 400;
    const doomed = RedisClients.single(REDIS_URL, quiet);
    await doomed.ready(2000);
    const dying = new RedisPresenceDirectory(doomed.commands, { prefix, processId: randomUUID(), windowMs: 0, heartbeatMs, log: quiet });
    const survivor = await redisDirectory(prefix, heartbeatMs, 0);
    const outcomes: Array<[string, PublishOutcome]> = [];
    survivor.onOutcome((userId, outcome) => outcomes.push([userId, outcome]));
    const [user, conversation] = [randomUUID(), randomUUID()];
    dying.start();
    survivor.start();
    const now = Date.now();
    await dying.publish(user, null, online([conversation]), now, now);
    expect(await survivor.viewersOf(conversation, [user])).toEqual(new Set([user]));
    // Killed: its connection drops, its heartbeat stops, nothing is withdrawn by itself.
    doomed.commands.disconnect();
    doomed.subscriber.disconnect();
    const killedAt = Date.now();
    await expect.poll(() => outcomes.length, { timeout: 4 * heartbeatMs, interval: 20 }).toBe(1);
    expect(Date.now() - killedAt).toBeLessThan(2 * heartbeatMs + 200);
    expect(outcomes[0]![0]).toBe(user);
    expect(outcomes[0]![1]).toMatchObject({ status: 'offline', decision: { kind: 'send' } });
    expect(outcomes[0]![1].seenAt).toBeGreaterThanOrEqual(now);
    expect(await survivor.viewersOf(conversation, [user])).toEqual(new Set());
    await survivor.close();
  });
});

function decision(outcome: PublishOutcome) {
  return outcome.decision;
}
