/**
 * The Store port's contract, run against the in-memory fake the unit tests use and against the
 * SQL stores, so the fake cannot drift from what the domain really gets.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { NEVER_EXPIRES } from '../../src/domain/api-token.service.js';
import { UNREAD_COUNT_CAP } from '../../src/store/repositories/unread-counts.js';
import { at, storeFactories, storeForSuite, storeSubjects } from '../helpers/store-subjects.js';

for (const subject of storeSubjects) {
  describe(`Store contract [${subject.name}]`, () => {
    const store = storeForSuite(subject);

    const { user, conversation, send } = storeFactories(() => store);

    it('users: unique ignoring case, found ignoring case, existingIds filters', async () => {
      const name = `Case${randomUUID().slice(0, 6)}`;
      const id = randomUUID();
      expect(await store.users.create({ id, username: name, created_at: at(0), password_hash: 'h' })).toEqual({ id, username: name, created_at: at(0), is_bot: false, display_name: null, avatar_url: null, status_text: null, deactivated: false });
      expect(await store.users.create({ id: randomUUID(), username: name.toUpperCase(), created_at: at(0), password_hash: 'h' })).toBeNull();
      expect(await store.users.findByUsername(name.toLowerCase())).toMatchObject({ id, password_hash: 'h' });
      expect(await store.users.existingIds([id, randomUUID()])).toEqual([id]);
    });

    it('sessions: active until expires_at, revoked one by one or all at once', async () => {
      const owner = await user();
      const [a, b] = [randomUUID(), randomUUID()];
      await store.sessions.create({ id: a, token_hash: `ha${a}`, user_id: owner, created_at: at(0), expires_at: at(60) });
      await store.sessions.create({ id: b, token_hash: `hb${b}`, user_id: owner, created_at: at(0), expires_at: at(60) });
      expect(await store.sessions.findActive(`ha${a}`, at(59))).toMatchObject({ id: a, user: { id: owner } });
      expect(await store.sessions.findActive(`ha${a}`, at(60))).toBeNull();
      await store.sessions.revoke(a, owner);
      expect(await store.sessions.findActive(`ha${a}`, at(1))).toBeNull();
      expect(await store.sessions.revokeAllForUser(owner)).toEqual([b]);
      expect(await store.sessions.findActive(`hb${b}`, at(1))).toBeNull();
    });

    it('API tokens: found with their scopes, listed newest first while live, revoked one by one; logging out everywhere keeps them', async () => {
      const owner = await user();
      const other = await user();
      const [login, older, newer, expired] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      await store.sessions.create({ id: login, token_hash: `hl${login}`, user_id: owner, created_at: at(0), expires_at: at(600) });
      await store.sessions.create({ id: older, token_hash: `ho${older}`, user_id: owner, created_at: at(1), expires_at: NEVER_EXPIRES, token: { name: 'older', scopes: ['messages:read'] } });
      await store.sessions.create({ id: newer, token_hash: `hn${newer}`, user_id: owner, created_at: at(2), expires_at: at(600), token: { name: 'newer', scopes: ['messages:read', 'account:manage'] } });
      await store.sessions.create({ id: expired, token_hash: `he${expired}`, user_id: owner, created_at: at(3), expires_at: at(10), token: { name: 'expired', scopes: ['messages:write'] } });
      expect(await store.sessions.findActive(`hl${login}`, at(5))).toMatchObject({ id: login, scopes: null });
      expect(await store.sessions.findActive(`hn${newer}`, at(5))).toMatchObject({ id: newer, scopes: ['messages:read', 'account:manage'] });
      expect(await store.sessions.listTokens(owner, at(20))).toEqual([
        { id: newer, name: 'newer', scopes: ['messages:read', 'account:manage'], created_at: at(2), expires_at: at(600) },
        { id: older, name: 'older', scopes: ['messages:read'], created_at: at(1), expires_at: null },
      ]);
      expect(await store.sessions.revokeToken(newer, other)).toBe(false);
      expect(await store.sessions.revokeToken(login, owner)).toBe(false);
      expect(await store.sessions.revokeAllForUser(owner)).toEqual([login]);
      expect(await store.sessions.findActive(`ho${older}`, at(20))).toMatchObject({ id: older });
      expect(await store.sessions.revokeToken(newer, owner)).toBe(true);
      expect(await store.sessions.findActive(`hn${newer}`, at(5))).toBeNull();
      expect((await store.sessions.listTokens(owner, at(20))).map((t) => t.id)).toEqual([older]);
    });

    it('bots: created with an owner and marked is_bot, listed and found by their owner only', async () => {
      const owner = await user();
      const stranger = await user();
      const id = randomUUID();
      const name = `bot${randomUUID().slice(0, 6)}`;
      const bot = await store.users.create({ id, username: name, created_at: at(0), password_hash: 'none', bot_owner_id: owner });
      expect(bot).toEqual({ id, username: name, created_at: at(0), is_bot: true, display_name: null, avatar_url: null, status_text: null, deactivated: false });
      expect(await store.users.findById(id)).toEqual(bot);
      expect(await store.users.findByUsername(name)).toMatchObject({ id, is_bot: true });
      expect(await store.users.botsOf(owner)).toEqual([{ user: bot, owner_id: owner }]);
      expect(await store.users.botsOf(stranger)).toEqual([]);
      expect(await store.users.ownedBot(id, owner)).toEqual({ user: bot, owner_id: owner });
      expect(await store.users.ownedBot(id, stranger)).toBeNull();
      expect(await store.users.ownedBot(owner, owner)).toBeNull();
    });

    it('append: gapless seq per conversation; a repeated message_id returns the stored message and consumes no seq', async () => {
      const owner = await user();
      const c = await conversation(owner);
      const id = randomUUID();
      const first = await send(c, owner, 'one', id);
      expect(first).toMatchObject({ kind: 'created', message: { seq: 1, content: 'one', deleted: false, edited_at: null } });
      expect(await send(c, owner, 'other content', id)).toEqual({ kind: 'existing', message: first.message });
      expect((await send(c, owner, 'two')).message.seq).toBe(2);
      expect(await store.conversations.lastSeq(c)).toBe(2);
    });

    it('append: sends that arrive together (written as one batch while another commits) each get their own outcome, seqs gapless in arrival order per conversation', async () => {
      const owner = await user();
      const [c1, c2] = [await conversation(owner), await conversation(owner)];
      const storedId = randomUUID();
      const repeatedId = randomUUID();
      // The first goes alone; the rest queue behind it and go together.
      const outcomes = await Promise.allSettled([
        send(c2, owner, 'stored', storedId),
        send(c1, owner, 'a'),
        send(c2, owner, 'b'),
        send(c1, owner, 'c', repeatedId),
        send(randomUUID(), owner, 'to a conversation that is gone'),
        send(c1, owner, 'c', repeatedId),
        send(c2, owner, 'again', storedId),
        send(c2, owner, 'd'),
      ]);
      const results = outcomes.map((o) => (o.status === 'fulfilled' ? o.value : null));
      expect(outcomes[4]!.status).toBe('rejected');
      expect(results.map((r) => r && [r.kind, r.message.seq, r.message.content])).toEqual([
        ['created', 1, 'stored'],
        ['created', 1, 'a'],
        ['created', 2, 'b'],
        ['created', 2, 'c'],
        null,
        ['existing', 2, 'c'],
        ['existing', 1, 'stored'],
        ['created', 3, 'd'],
      ]);
      expect(results[5]!.message).toEqual(results[3]!.message);
      expect(results[6]!.message).toEqual(results[0]!.message);
      expect(await store.conversations.lastSeq(c1)).toBe(2);
      expect(await store.conversations.lastSeq(c2)).toBe(3);
      const c2Messages = (await store.messages.history(c2, { limit: 10 })).messages;
      expect(c2Messages.map((m) => m.content)).toEqual(['stored', 'b', 'd']);
      const versions = c2Messages.map((m) => m.version);
      expect(versions).toEqual([...versions].sort((p, q) => p - q));
      const times = c2Messages.map((m) => m.created_at);
      expect(times).toEqual([...times].sort());
    });

    it('append: a send that a constraint refuses (an unknown sender) fails alone, its neighbours in the batch are stored in arrival order', async () => {
      const owner = await user();
      const c = await conversation(owner);
      const outcomes = await Promise.allSettled([
        send(c, owner, 'first'),
        send(c, owner, 'a'),
        send(c, randomUUID(), 'from nobody'),
        send(c, owner, 'b'),
        send(c, owner, 'c'),
        send(c, owner, 'd'),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
      expect((await store.messages.history(c, { limit: 10 })).messages.map((m) => [m.seq, m.content])).toEqual([
        [1, 'first'],
        [2, 'a'],
        [3, 'b'],
        [4, 'c'],
        [5, 'd'],
      ]);
    });

    it('members: creator owner, others members, a repeated add reports added false', async () => {
      const [owner, a, b] = [await user(), await user(), await user()];
      const c = await conversation(owner, [a]);
      expect(await store.conversations.membership(c, owner)).toEqual({ role: 'owner' });
      expect(await store.conversations.membership(c, a)).toEqual({ role: 'member' });
      expect(await store.conversations.membership(c, b)).toBeNull();
      const added = await store.conversations.addMember(c, b, at(5), owner);
      expect(added).toMatchObject({ added: true, member: { user_id: b, role: 'member', joined_at: at(5), last_read_seq: 0 } });
      expect(await store.conversations.addMember(c, b, at(9), owner)).toEqual({ added: false, member: added.member });
      expect(await store.conversations.removeMember(c, randomUUID(), owner, at(10))).toBeNull();
    });

    it('when the last owner leaves, the longest-standing member becomes owner', async () => {
      const [owner, early, late] = [await user(), await user(), await user()];
      const c = await conversation(owner, [], at(0));
      await store.conversations.addMember(c, late, at(20), owner);
      await store.conversations.addMember(c, early, at(10), owner);
      expect(await store.conversations.removeMember(c, owner, owner, at(30))).toMatchObject({ promoted: { member: { user_id: early, role: 'owner' } } });
      expect(await store.conversations.membership(c, early)).toEqual({ role: 'owner' });
      expect(await store.conversations.membership(c, late)).toEqual({ role: 'member' });
      expect((await store.conversations.findById(c))?.members.map((m) => m.user_id)).toEqual([early, late]);
    });

    it('read positions move only forward and stop at last_seq', async () => {
      const [owner, a] = [await user(), await user()];
      const c = await conversation(owner, [a]);
      await send(c, owner);
      await send(c, owner);
      expect(await store.conversations.advanceReadSeq(c, a, 5)).toMatchObject({ seq: 2 });
      expect(await store.conversations.advanceReadSeq(c, a, 1)).toBeNull();
      expect(await store.conversations.advanceReadSeq(c, a, 2)).toBeNull();
      expect(await store.conversations.advanceReadSeq(c, randomUUID(), 1)).toBeNull();
    });

    it('history pages ascending; edit and delete leave a deleted message alone', async () => {
      const owner = await user();
      const c = await conversation(owner);
      const ids: string[] = [];
      for (let i = 1; i <= 4; i++) ids.push((await send(c, owner, `m${i}`)).message.message_id);
      expect(await store.messages.history(c, { limit: 2 })).toMatchObject({ has_more: true, messages: [{ seq: 3 }, { seq: 4 }] });
      expect(await store.messages.history(c, { limit: 5, before: 3 })).toMatchObject({ has_more: false, messages: [{ seq: 1 }, { seq: 2 }] });
      expect(await store.messages.history(c, { limit: 2, after: 1 })).toMatchObject({ has_more: true, messages: [{ seq: 2 }, { seq: 3 }] });
      const first = { message_id: ids[0]!, conversation_id: c };
      expect(await store.messages.edit(first, 'edited', at(30), owner)).toMatchObject({ content: 'edited', edited_at: at(30) });
      expect(await store.messages.markDeleted(first, at(31), owner)).toMatchObject({ seq: 1, content: '', deleted: true });
      expect(await store.messages.markDeleted(first, at(32), owner)).toBeNull();
      expect(await store.messages.edit(first, 'again', at(33), owner)).toBeNull();
    });

    it('lists by latest activity with unread counts (from others, not deleted) and the last message', async () => {
      const [me, other] = [await user(), await user()];
      const quiet = await conversation(me, [other], at(1));
      const busy = await conversation(other, [me], at(2));
      const newest = await conversation(me, [], at(3));
      await send(busy, other, 'a');
      const deleted = await send(busy, other, 'b');
      await send(busy, me, 'mine');
      await store.messages.markDeleted({ message_id: deleted.message.message_id, conversation_id: busy }, at(43), other);
      const first = await store.conversations.listForUser(me, 2, undefined);
      expect(first.conversations.map((c) => [c.id, c.unread_count, c.last_message?.content ?? null])).toEqual([
        [busy, 1, 'mine'],
        [newest, 0, null],
      ]);
      const rest = await store.conversations.listForUser(me, 2, first.next_cursor ?? undefined);
      expect(rest).toMatchObject({ next_cursor: null, conversations: [{ id: quiet }] });
      // quiet: its creation; busy: its creation, three sends and a delete.
      const positions = await store.conversations.lastEventSeqsForUser(other);
      expect(positions.map((p) => p.last_event_seq).sort((a, b) => a - b)).toEqual([1, 5]);
    });

    it('lists across minutes in exact activity order, page by page; a send or a join places a conversation by its activity', async () => {
      const [me, other] = [await user(), await user()];
      // Several per minute, out of creation order, and two at the same instant (the id breaks the tie).
      const seconds = [5, 170, 61, 119, 62, 240, 0, 61, 300, 59];
      const ids: { id: string; second: number }[] = [];
      for (const second of seconds) ids.push({ id: await conversation(other, [me], at(second)), second });
      // Joined late, into a conversation whose activity is older than most.
      const joined = await conversation(other, [], at(60));
      await store.conversations.addMember(joined, me, at(400), other);
      ids.push({ id: joined, second: 60 });
      const expected = ids.sort((a, b) => b.second - a.second || (b.id < a.id ? -1 : 1)).map((c) => c.id);
      const listed: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.conversations.listForUser(me, 3, cursor);
        listed.push(...page.conversations.map((c) => c.id));
        cursor = page.next_cursor ?? undefined;
      } while (cursor !== undefined);
      expect(listed).toEqual(expected);
      // A send makes the oldest the most recent (its minute moves on).
      const oldest = expected.at(-1)!;
      await send(oldest, other);
      expect((await store.conversations.listForUser(me, 2, undefined)).conversations[0]?.id).toBe(oldest);
    });

    it(`counts unread messages of the latest ${UNREAD_COUNT_CAP} only, and says when there are more`, async () => {
      const [me, other] = [await user(), await user()];
      const c = await conversation(other, [me]);
      const last = UNREAD_COUNT_CAP + 3;
      // One in ten from me: those never count. 100 at a time, so the seqs come from the results.
      const sent = [];
      for (let i = 0; i < last; i += 100) {
        sent.push(...(await Promise.all(Array.from({ length: Math.min(100, last - i) }, (_, j) => send(c, (i + j) % 10 === 0 ? me : other)))));
      }
      const mine = new Set(sent.filter((r) => r.message.sender_id === me).map((r) => r.message.seq));
      const countFromOthers = (after: number) => last - after - [...mine].filter((seq) => seq > after).length;
      const summary = async () => (await store.conversations.listForUser(me, 1, undefined)).conversations[0];
      // Of the latest CAP (seqs 4 to CAP + 3), those from others.
      const capped = await summary();
      expect(capped?.unread_count_capped).toBe(true);
      expect(capped?.unread_count).toBe(countFromOthers(3));
      // Read up to seq 3: exactly CAP left, counted exactly.
      await store.conversations.advanceReadSeq(c, me, 3);
      const exact = await summary();
      expect(exact?.unread_count_capped).toBeUndefined();
      expect(exact?.unread_count).toBe(countFromOthers(3));
      await store.conversations.advanceReadSeq(c, me, UNREAD_COUNT_CAP + 1);
      expect(await summary()).toMatchObject({ unread_count: countFromOthers(UNREAD_COUNT_CAP + 1) });
    });
  });
}
