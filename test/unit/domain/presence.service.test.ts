/** PresenceService on in-memory fakes: who sees whose presence, and what an offline user shows. */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PresenceService } from '../../../src/domain/presence.service.js';
import { MemoryPresenceDirectory } from '../../../src/presence/memory-presence-directory.js';
import { newTestServices } from '../fakes/test-services.js';

async function world() {
  const t = newTestServices();
  const directory = new MemoryPresenceDirectory(0);
  const presence = new PresenceService({ store: t.store, directory });
  const [alice, bob, carol, dave] = await Promise.all(['alice', 'bob', 'carol', 'dave'].map((n) => t.newUser(n)));
  await t.newConversation(alice!, [bob!]);
  await t.newConversation(bob!, [carol!]);
  return { ...t, directory, presence, alice: alice!, bob: bob!, carol: carol!, dave: dave! };
}

describe('PresenceService.list', () => {
  it('answers for the caller and users sharing a conversation with them, leaving out the rest and unknown ids alike', async () => {
    const { presence, alice, bob, carol, dave, directory } = await world();
    await directory.publish(bob.id, null, { status: 'online', lastActiveAt: Date.now(), viewing: [] }, Date.now(), Date.now());
    const listed = await presence.list(alice.id, [carol.id, bob.id, dave.id, randomUUID(), alice.id, bob.id]);
    expect(listed).toEqual([
      { user_id: bob.id, status: 'online', last_seen_at: expect.any(String) },
      { user_id: alice.id, status: 'offline', last_seen_at: null },
    ]);
    // Carol shares a conversation with Bob only.
    expect((await presence.list(carol.id, [alice.id, bob.id])).map((p) => p.user_id)).toEqual([bob.id]);
  });

  it("shows an offline user's stored last_seen_at when the live state has forgotten them", async () => {
    const { presence, alice, bob, store } = await world();
    const at = Date.UTC(2026, 10, 30, 12, 0, 0);
    await store.presence.recordLastSeen(new Map([[bob.id, at]]));
    expect(await presence.list(alice.id, [bob.id])).toEqual([{ user_id: bob.id, status: 'offline', last_seen_at: new Date(at).toISOString() }]);
  });
});

describe('PresenceService.checkViewing', () => {
  it('accepts a conversation of the caller, refuses one of others (not_member) and an unknown one (not_found)', async () => {
    const t = await world();
    const [mine] = (await t.store.conversations.listForUser(t.alice.id, 10, undefined)).conversations;
    await expect(t.presence.checkViewing(t.alice.id, mine!.id)).resolves.toBeUndefined();
    await expect(t.presence.checkViewing(t.dave.id, mine!.id)).rejects.toMatchObject({ code: 'not_member' });
    await expect(t.presence.checkViewing(t.alice.id, randomUUID())).rejects.toMatchObject({ code: 'not_found' });
  });
});
