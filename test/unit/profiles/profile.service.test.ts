/** Changing one's profile (docs/API.md, "Profiles"), on the in-memory store. */
import { describe, expect, it, vi } from 'vitest';
import { toOutbound } from '../../../src/realtime/event-frames.js';
import { newTestServices, type TestServiceOptions } from '../fakes/test-services.js';

async function arrange(options: TestServiceOptions = {}) {
  const t = newTestServices(options);
  const [alice, bob, carol] = [await t.newUser('alice'), await t.newUser('bob'), await t.newUser('carol')];
  const withBob = await t.newConversation(alice, [bob]);
  const withCarol = await t.newConversation(carol, [alice]);
  return { ...t, alice, bob, carol, withBob, withCarol, me: t.principalOf(alice) };
}

describe('ProfileService.update', () => {
  it("publishes the new profile to the user's devices with their next user_seq, and member.updated in each of their conversations", async () => {
    const { profiles, events, store, alice, bob, carol, withBob, withCarol, me } = await arrange();
    const userSeq = await store.changeFeed.userSeq(alice.id);
    const user = await profiles.update(me, { display_name: 'Alice Liddell' });
    expect(user).toEqual({ ...alice, display_name: 'Alice Liddell' });
    const member = (conversation: typeof withBob) => ({ ...conversation.members.find((m) => m.user_id === alice.id), display_name: 'Alice Liddell' });
    const published = events.take();
    expect(published).toEqual([
      { type: 'user.updated', user, user_seq: userSeq + 1 },
      ...[withBob, withCarol]
        .sort((a, b) => a.id.localeCompare(b.id))
        .map((c) => ({ type: 'member.updated', conversation_id: c.id, member: member(c), member_ids: expect.arrayContaining(c === withBob ? [alice.id, bob.id] : [alice.id, carol.id]), event_seq: 2 })),
    ]);
    expect(await store.users.findById(alice.id)).toEqual(user);
    expect(await store.changeFeed.userSeq(alice.id)).toBe(userSeq + 1);
    // The frames: the user's own devices hear user.updated; the people they share a conversation with hear member.updated in its order.
    expect(toOutbound(published[0]!)).toMatchObject([{ kind: 'frame', userIds: [alice.id], order: null }]);
    expect(toOutbound(published[1]!)).toMatchObject([{ kind: 'frame', order: { eventSeq: 2 } }]);
  });

  it('logs member.updated in the change feed, so a client catching up sees the new name', async () => {
    const { profiles, store, alice, withBob, me } = await arrange();
    await profiles.update(me, { display_name: 'Alice' });
    const { events } = await store.changeFeed.eventsAfter(withBob.id, 1, 10);
    expect(events).toEqual([expect.objectContaining({ type: 'member.updated', event_seq: 2, actor_id: alice.id, user_id: alice.id, member: expect.objectContaining({ display_name: 'Alice' }) })]);
  });

  it("publishes only user.updated for a status text: members don't show it", async () => {
    const { profiles, events, store, alice, withBob, me } = await arrange();
    const user = await profiles.update(me, { status_text: 'On holiday 🌴' });
    expect(user.status_text).toBe('On holiday 🌴');
    expect(events.take().map((e) => e.type)).toEqual(['user.updated']);
    expect((await store.changeFeed.position(withBob.id))?.last_event_seq).toBe(1);
    expect(user.display_name).toBe(alice.display_name);
  });

  it('publishes nothing and takes no user_seq when nothing changes, and answers with the profile as it is', async () => {
    const { profiles, events, store, alice, me } = await arrange();
    const changed = await profiles.update(me, { display_name: 'Alice', status_text: 'here' });
    events.take();
    const userSeq = await store.changeFeed.userSeq(alice.id);
    for (const body of [{}, { display_name: 'Alice' }, { status_text: '  here ' }, { display_name: 'Alice', status_text: 'here' }]) {
      expect(await profiles.update(me, body)).toEqual(changed);
    }
    expect(events.take()).toEqual([]);
    expect(await store.changeFeed.userSeq(alice.id)).toBe(userSeq);
  });

  it('stores the text trimmed and in NFC, and clears a field set to null or blank', async () => {
    const { profiles, me } = await arrange();
    expect(await profiles.update(me, { display_name: '  Jose\u0301 ', status_text: 'x' })).toMatchObject({ display_name: 'Jos\u00e9', status_text: 'x' });
    expect(await profiles.update(me, { display_name: null, status_text: '   ' })).toMatchObject({ display_name: null, status_text: null });
  });

  it('refuses invisible or direction-changing characters with invalid_display_name / invalid_status_text, storing nothing', async () => {
    const { profiles, events, store, alice, me } = await arrange();
    await expect(profiles.update(me, { display_name: 'evil\u202Egnp.exe' })).rejects.toMatchObject({ code: 'invalid_display_name', status: 400 });
    await expect(profiles.update(me, { display_name: 'ok', status_text: 'a\u200Bb' })).rejects.toMatchObject({ code: 'invalid_status_text' });
    await expect(profiles.update(me, { display_name: 'x'.repeat(65) })).rejects.toMatchObject({ code: 'invalid_display_name' });
    await expect(profiles.update(me, { status_text: 'x'.repeat(141) })).rejects.toMatchObject({ code: 'invalid_status_text' });
    expect(events.take()).toEqual([]);
    expect(await store.users.findById(alice.id)).toEqual(alice);
  });

  it('needs the account:manage scope', async () => {
    const { profiles, alice } = await arrange();
    const token = { user: alice, session_id: 't', expires_at: '2999-01-01T00:00:00.000Z', scopes: ['messages:read' as const] };
    await expect(profiles.update(token, { display_name: 'x' })).rejects.toMatchObject({ code: 'insufficient_scope', status: 403 });
    await expect(profiles.clearAvatar(token)).rejects.toMatchObject({ code: 'insufficient_scope' });
  });

  it('counts each change against the profile_changes budget', async () => {
    const { profiles, me } = await arrange({ limits: { profile_changes: 2 } });
    await profiles.update(me, { display_name: 'one' });
    await profiles.update(me, { display_name: 'two' });
    await expect(profiles.update(me, { display_name: 'three' })).rejects.toMatchObject({ code: 'rate_limited' });
  });

  it('tells the session cache that the user changed (sessions carry their User)', async () => {
    const { profiles, store, alice, me } = await arrange();
    const userChanged = vi.spyOn(store.sessions, 'userChanged');
    await profiles.update(me, { display_name: 'x' });
    await profiles.update(me, { display_name: 'x' });
    expect(userChanged.mock.calls).toEqual([[alice.id]]);
  });
});

describe('ProfileService.clearAvatar', () => {
  it('removes the avatar, deletes its file and announces the change to members', async () => {
    const { profiles, events, store, files, alice, me } = await arrange();
    await store.profiles.update(alice.id, { avatar_key: 'avatars/old.webp' }, '2026-01-01T00:00:00.000Z');
    const user = await profiles.clearAvatar(me);
    expect(user.avatar_url).toBeNull();
    expect(files.deleted).toEqual(['avatars/old.webp']);
    expect(events.take().map((e) => [e.type, 'member' in e ? e.member.avatar_url : null])).toEqual([
      ['user.updated', null],
      ['member.updated', null],
      ['member.updated', null],
    ]);
  });

  it('does nothing without an avatar', async () => {
    const { profiles, events, files, me } = await arrange();
    expect((await profiles.clearAvatar(me)).avatar_url).toBeNull();
    expect(events.take()).toEqual([]);
    expect(files.deleted).toEqual([]);
  });
});

describe('ProfileService.openAvatar', () => {
  it('serves only names the server makes, never a path elsewhere in the storage', async () => {
    const { profiles, files } = await arrange();
    const name = `${'A'.repeat(22)}.webp`;
    files.objects.set(`avatars/${name}`, { bytes: Buffer.from('webp'), contentType: 'image/webp' });
    files.objects.set('uploads/secret', { bytes: Buffer.from('secret'), contentType: 'text/plain' });
    expect(await profiles.openAvatar(name)).not.toBeNull();
    for (const file of ['../uploads/secret', 'x.webp', `${'A'.repeat(22)}.png`, `${'A'.repeat(21)}/.webp`]) expect(await profiles.openAvatar(file)).toBeNull();
    expect(await profiles.openAvatar(`${'B'.repeat(22)}.webp`)).toBeNull();
  });
});
