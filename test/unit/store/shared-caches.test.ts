/**
 * The membership cache of one process among several (CacheLink): another process's change is
 * simulated by changing the store beneath the cache, as that process would.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CachedConversationRepository } from '../../../src/store/cache/cached-conversation.repository.js';
import { CacheLink } from '../../../src/store/cache/cache-link.js';
import { InMemoryStore } from '../fakes/in-memory-store.js';

async function setUp() {
  const store = new InMemoryStore();
  const [owner, member] = [randomUUID(), randomUUID()];
  for (const id of [owner, member]) await store.users.create({ id, username: `u${id.slice(0, 8)}`, created_at: new Date().toISOString(), password_hash: 'unused' });
  const link = new CacheLink(10_000);
  let busUp = true;
  const announced: { keys: readonly string[]; routeKey: string }[] = [];
  link.connect((keys, routeKey) => announced.push({ keys, routeKey }), () => busUp);
  const cached = new CachedConversationRepository(store.conversations, link);
  const id = randomUUID();
  await store.conversations.create({ id, title: 't', created_by: owner, created_at: new Date().toISOString(), member_ids: [member] });
  const elsewhere = {
    remove: () => store.conversations.removeMember(id, member, owner, new Date().toISOString()),
    add: () => store.conversations.addMember(id, member, new Date().toISOString(), owner),
  };
  return { link, cached, id, owner, member, elsewhere, announced, setBus: (up: boolean) => (busUp = up) };
}

describe('a membership cache shared between processes', () => {
  afterEach(() => vi.useRealTimers());

  it('serves a stale entry only until the change is announced', async () => {
    const { link, cached, id, member, elsewhere } = await setUp();
    expect(await cached.memberIds(id)).toContain(member);
    await elsewhere.remove();
    expect(await cached.memberIds(id)).toContain(member);
    link.forget([`members:${id}`]);
    expect(await cached.memberIds(id)).not.toContain(member);
  });

  it('confirms a refusal against the store: a join whose announcement was lost is seen at once', async () => {
    const { cached, id, member, elsewhere } = await setUp();
    await elsewhere.remove();
    expect(await cached.memberIds(id)).not.toContain(member);
    await elsewhere.add();
    // Without the caller, the cached list is served as it is (the fan-out's audience)...
    expect(await cached.memberIds(id)).not.toContain(member);
    // ...but a check of the caller reads again, and the fresh list replaces the stale one.
    expect(await cached.membership(id, member)).toEqual({ role: 'member' });
    expect(await cached.memberIds(id)).toContain(member);
    await elsewhere.remove();
    await cached.memberIds(id);
    await elsewhere.add();
    expect(await cached.memberIds(id, member)).toContain(member);
  });

  it('forgets everything when announcements may have been lost', async () => {
    const { link, cached, id, member, elsewhere } = await setUp();
    await cached.memberIds(id);
    await elsewhere.remove();
    link.forgetAll();
    expect(await cached.membership(id, member)).toBeNull();
  });

  it('neither serves nor stores entries while the bus is down', async () => {
    const { cached, id, member, elsewhere, setBus } = await setUp();
    await cached.memberIds(id);
    setBus(false);
    await elsewhere.remove();
    expect(await cached.memberIds(id)).not.toContain(member);
  });

  it('lets an entry live no longer than the link allows', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { cached, id, member, elsewhere } = await setUp();
    await cached.memberIds(id);
    await elsewhere.remove();
    vi.setSystemTime(Date.now() + 9_000);
    expect(await cached.memberIds(id)).toContain(member);
    vi.setSystemTime(Date.now() + 2_000);
    expect(await cached.memberIds(id)).not.toContain(member);
  });

  it('announces its own membership changes, routed by the conversation', async () => {
    const { cached, id, owner, member, announced } = await setUp();
    await cached.removeMember(id, member, owner, new Date().toISOString());
    expect(announced).toEqual([{ keys: [`members:${id}`], routeKey: id }]);
  });
});
