/**
 * The ProfileRepository's contract (docs/API.md, "Profiles", "Finding people"), against the
 * in-memory fake the unit tests use and the SQL stores: what a change writes and announces,
 * and the directory's order, paging, folding and visibility, so the fake cannot drift.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DirectoryPosition } from '../../src/domain/ports/profile-repository.js';
import { foldForSearch } from '../../src/domain/profiles/search-terms.js';
import { at, storeFactories, storeForSuite, storeSubjects } from '../helpers/store-subjects.js';

for (const subject of storeSubjects) {
  describe(`Profile contract [${subject.name}]`, () => {
    const store = storeForSuite(subject);
    const { user, conversation } = storeFactories(() => store);
    const tag = () => `p${randomUUID().slice(0, 6)}`;

    it('writes only what changed: null when nothing did; a shown change is member.updated in every conversation, a status change in none', async () => {
      const ana = await user();
      const [one, two] = [await conversation(ana), await conversation(ana)];
      expect(await store.profiles.update(ana, { display_name: null }, at(1))).toBeNull();
      const named = await store.profiles.update(ana, { display_name: 'Ana' }, at(1));
      expect(named?.user).toMatchObject({ id: ana, display_name: 'Ana', status_text: null, avatar_url: null });
      expect(named?.announcements.map((a) => a.conversation_id).sort()).toEqual([one, two].sort());
      expect(named?.announcements.every((a) => a.member.display_name === 'Ana' && a.event_seq === 2)).toBe(true);
      const statused = await store.profiles.update(ana, { status_text: 'away' }, at(2));
      expect(statused?.announcements).toEqual([]);
      expect(statused?.user_seq).toBe((named?.user_seq ?? 0) + 1);
      expect(statused?.user).toMatchObject({ display_name: 'Ana', status_text: 'away' });
      const avatar = await store.profiles.update(ana, { avatar_key: 'avatars/a.webp' }, at(3));
      expect(avatar?.user.avatar_url).toBe('/avatars/a.webp');
      const replaced = await store.profiles.update(ana, { avatar_key: 'avatars/b.webp' }, at(4));
      expect(replaced?.replaced_avatar_key).toBe('avatars/a.webp');
      expect((await store.profiles.update(ana, { avatar_key: null }, at(5)))?.replaced_avatar_key).toBe('avatars/b.webp');
    });

    it('lists each match once under its first matching name, by (name, username), paged without gaps or repeats', async () => {
      const t = tag();
      const ids: Record<string, string> = {};
      for (const [name, display] of [[`${t}_zed`, `${t}x Maria`], [`${t}_amy`, null], [`${t}x_bob`, `${t}x Bob`], [`${t}_cy`, `Cy ${t}_cy`]] as const) {
        ids[name] = await user(name);
        if (display !== null) await store.profiles.update(ids[name], { display_name: display }, at(1));
      }
      const search = async (prefix: string, after: DirectoryPosition | null, limit = 10) =>
        store.profiles.search({ prefix: foldForSearch(prefix), limit, after, shared_with: null });
      const all = await search(t, null);
      // `${t}_…` usernames first (underscore sorts before x), then `${t}x…` names; Bob once, under his first name.
      expect(all.users.map((u) => u.username)).toEqual([`${t}_amy`, `${t}_cy`, `${t}_zed`, `${t}x_bob`]);
      expect(all.last).toBeNull();
      const seen: string[] = [];
      let after: DirectoryPosition | null = null;
      do {
        const page = await search(t, after, 1);
        seen.push(...page.users.map((u) => u.username));
        after = page.last;
      } while (after !== null);
      expect(seen).toEqual(all.users.map((u) => u.username));
      expect((await search(`${t.toUpperCase()}X MAR`, null)).users.map((u) => u.id)).toEqual([ids[`${t}_zed`]]);
    });

    it('finds only the searcher and their conversation partners when asked', async () => {
      const t = tag();
      const [me, partner, stranger] = [await user(`${t}_me`), await user(`${t}_partner`), await user(`${t}_stranger`)];
      await conversation(me, [partner]);
      const found = await store.profiles.search({ prefix: t, limit: 10, after: null, shared_with: me });
      expect(found.users.map((u) => u.id)).toEqual([me, partner]);
      const theirs = await store.profiles.search({ prefix: t, limit: 10, after: null, shared_with: stranger });
      expect(theirs.users.map((u) => u.id)).toEqual([stranger]);
    });

    it('finds users by ids, unknown ones left out', async () => {
      const a = await user();
      expect((await store.profiles.findByIds([a, randomUUID()])).map((u) => u.id)).toEqual([a]);
      expect(await store.profiles.findByIds([])).toEqual([]);
    });
  });
}
