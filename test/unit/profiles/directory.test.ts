/** Finding people (docs/API.md, "Finding people"): ProfileService.search and usersByIds on the in-memory store. */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DirectoryVisibility, User } from '@pneumatic/protocol';
import { newTestServices } from '../fakes/test-services.js';

async function arrange(directoryVisibility: DirectoryVisibility = 'all') {
  const t = newTestServices({ directoryVisibility });
  const named = async (username: string, displayName?: string) => {
    const user = await t.newUser(username);
    if (displayName === undefined) return user;
    return t.profiles.update(t.principalOf(user), { display_name: displayName });
  };
  const me = t.principalOf(await named('viewer'));
  t.events.take();
  return { ...t, named, me };
}

const usernames = (page: { users: User[] }) => page.users.map((u) => u.username);

describe('ProfileService.search', () => {
  it('refuses a query shorter than 2 characters once trimmed with query_too_short', async () => {
    const { profiles, me } = await arrange();
    for (const q of ['', 'a', '  a  ', '😀']) {
      await expect(profiles.search(me, { q, limit: 10 }), JSON.stringify(q)).rejects.toMatchObject({ code: 'query_too_short', status: 400 });
    }
  });

  it('refuses a query longer than 64 characters with query_too_long, counting code points', async () => {
    const { profiles, me } = await arrange();
    await expect(profiles.search(me, { q: 'a'.repeat(65), limit: 10 })).rejects.toMatchObject({ code: 'query_too_long', status: 400 });
    await expect(profiles.search(me, { q: '😀'.repeat(65), limit: 10 })).rejects.toMatchObject({ code: 'query_too_long' });
    await expect(profiles.search(me, { q: ` ${'a'.repeat(64)} `, limit: 10 })).resolves.toEqual({ users: [], next_cursor: null });
    await expect(profiles.search(me, { q: '😀😀', limit: 10 })).resolves.toEqual({ users: [], next_cursor: null });
  });

  it('finds by a prefix of the username, a part of it, the display name or one of its words, ignoring case and accents', async () => {
    const { profiles, named, me } = await arrange();
    await named('anna.smith');
    await named('jdoe', 'José Ørsted');
    await named('zed_annabel');
    await named('bob', 'Bobby Tables');
    const search = async (q: string) => usernames(await profiles.search(me, { q, limit: 10 }));
    expect(await search('ann')).toEqual(['anna.smith', 'zed_annabel']);
    expect(await search('SMI')).toEqual(['anna.smith']);
    expect(await search('jose')).toEqual(['jdoe']);
    expect(await search('ORST')).toEqual(['jdoe']);
    expect(await search('josé ørs')).toEqual(['jdoe']);
    expect(await search('tab')).toEqual(['bob']);
    expect(await search('obby')).toEqual([]);
    expect(await search('nobody')).toEqual([]);
  });

  it('finds by the new display name only once it is changed', async () => {
    const { profiles, named, me, principalOf } = await arrange();
    const user = await named('u1', 'Margaret');
    await profiles.update(principalOf(user), { display_name: 'Peggy' });
    expect(usernames(await profiles.search(me, { q: 'marg', limit: 10 }))).toEqual([]);
    expect(usernames(await profiles.search(me, { q: 'peg', limit: 10 }))).toEqual(['u1']);
  });

  it('lists by username ignoring case, a page at a time, with a cursor bound to the query', async () => {
    const { profiles, named, me } = await arrange();
    for (const name of ['kim_c', 'Kim_A', 'kim_e', 'KIM_B', 'kim_d']) await named(name);
    const first = await profiles.search(me, { q: 'kim', limit: 2 });
    expect(usernames(first)).toEqual(['Kim_A', 'KIM_B']);
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = await profiles.search(me, { q: 'KIM', limit: 2, cursor: first.next_cursor! });
    expect(usernames(second)).toEqual(['kim_c', 'kim_d']);
    const third = await profiles.search(me, { q: 'kim', limit: 2, cursor: second.next_cursor! });
    expect(third).toEqual({ users: [expect.objectContaining({ username: 'kim_e' })], next_cursor: null });
    await expect(profiles.search(me, { q: 'kim_', limit: 2, cursor: first.next_cursor! })).rejects.toMatchObject({ code: 'invalid_cursor', status: 400 });
    await expect(profiles.search(me, { q: 'kim', limit: 2, cursor: 'garbage' })).rejects.toMatchObject({ code: 'invalid_cursor' });
  });

  it('gives no cursor when the page holds exactly what is left', async () => {
    const { profiles, named, me } = await arrange();
    for (const name of ['lee1', 'lee2']) await named(name);
    expect(await profiles.search(me, { q: 'lee', limit: 2 })).toMatchObject({ next_cursor: null });
  });

  it('lists a user once however many of their terms match', async () => {
    const { profiles, named, me } = await arrange();
    await named('maxi.max', 'Max Maxwell');
    expect(usernames(await profiles.search(me, { q: 'max', limit: 10 }))).toEqual(['maxi.max']);
  });

  it('returns public profiles, never secrets', async () => {
    const { profiles, named, me } = await arrange();
    await named('secretive', 'S');
    const [user] = (await profiles.search(me, { q: 'secr', limit: 10 })).users;
    expect(Object.keys(user!).sort()).toEqual(['avatar_url', 'created_at', 'deactivated', 'display_name', 'id', 'is_bot', 'status_text', 'username']);
  });

  describe("with DIRECTORY_VISIBILITY=shared", () => {
    it('finds only the searcher and the people who share a conversation with them', async () => {
      const { profiles, named, me, newConversation, principalOf } = await arrange('shared');
      const [friend, stranger, friendOfFriend] = [await named('pat_friend'), await named('pat_stranger'), await named('pat_fof')];
      await newConversation(me.user, [friend]);
      await newConversation(friend, [friendOfFriend]);
      expect(usernames(await profiles.search(me, { q: 'pat', limit: 10 }))).toEqual(['pat_friend']);
      expect(usernames(await profiles.search(me, { q: 'view', limit: 10 }))).toEqual(['viewer']);
      expect(usernames(await profiles.search(principalOf(stranger), { q: 'pat', limit: 10 }))).toEqual(['pat_stranger']);
    });
  });

  describe("with DIRECTORY_VISIBILITY=all", () => {
    it('finds everyone', async () => {
      const { profiles, named, me } = await arrange('all');
      await named('pat_one');
      await named('pat_two');
      expect(usernames(await profiles.search(me, { q: 'pat', limit: 10 }))).toEqual(['pat_one', 'pat_two']);
    });
  });
});

describe('ProfileService.usersByIds', () => {
  it('returns the users in the order asked, each once, ids in any case, unknown ids left out', async () => {
    const { profiles, named } = await arrange();
    const [a, b] = [await named('a1'), await named('b1', 'Bee')];
    const found = await profiles.usersByIds([b.id, randomUUID(), a.id.toUpperCase(), b.id]);
    expect(found).toEqual([b, a]);
    expect(found[0]!.display_name).toBe('Bee');
    expect(await profiles.usersByIds([])).toEqual([]);
  });
});
