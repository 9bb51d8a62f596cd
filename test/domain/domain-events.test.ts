/**
 * Domain events as a later subscriber (change feed, webhooks, search) sees them: typed, after
 * the commit, with the data each needs, in commit order, and never able to fail a request.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/domain/ports/events.js';
import { createConversation, loginAgain, sendMessage } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { serverWithUsers } from '../helpers/suite.js';
import { socketPool } from '../helpers/ws-client.js';

for (const dialect of enabledDialects()) {
  describe(`domain events [${dialect}]`, () => {
    const t = serverWithUsers({ dialect }, 'alice', 'bob', 'carol');
    let seen: DomainEvent[] = [];
    const pool = socketPool(() => t.server.wsUrl);
    beforeAll(() => {
      t.server.app.pneumatic.events.subscribe((event) => seen.push(event));
    });
    beforeEach(() => {
      seen = [];
    });
    afterAll(() => pool.closeAll());

    it('announces a conversation, its messages, an edit and a delete with the members at commit time', async () => {
      const conversation = await createConversation(t.alice, [t.bob], 'Plans');
      const first = await sendMessage(t.alice, conversation.id, 'one');
      const edited = await t.alice.api.patch(`/messages/${first.message_id}`, { content: 'one, edited' });
      expect(edited.status).toBe(200);
      expect((await t.alice.api.delete(`/messages/${first.message_id}`)).status).toBe(204);
      const members = [t.alice.user.id, t.bob.user.id].sort();
      expect(seen.map((e) => e.type)).toEqual(['conversation.created', 'message.created', 'message.edited', 'message.deleted']);
      const [created, sent, edit, deleted] = seen as [
        DomainEvent<'conversation.created'>,
        DomainEvent<'message.created'>,
        DomainEvent<'message.edited'>,
        DomainEvent<'message.deleted'>,
      ];
      expect(created.conversation).toEqual(conversation);
      expect(sent.message).toEqual(first);
      expect([...sent.member_ids].sort()).toEqual(members);
      expect(edit.message).toMatchObject({ message_id: first.message_id, content: 'one, edited' });
      expect(deleted.message).toMatchObject({ message_id: first.message_id, deleted: true, seq: first.seq });
      expect([...deleted.member_ids].sort()).toEqual(members);
    });

    it('announces an idempotent resend once', async () => {
      const conversation = await createConversation(t.alice, [t.bob]);
      seen = [];
      const id = randomUUID();
      await sendMessage(t.alice, conversation.id, 'once', id);
      expect((await t.alice.api.post('/messages', { message_id: id, conversation_id: conversation.id, content: 'once' })).status).toBe(200);
      expect(seen.filter((e) => e.type === 'message.created')).toHaveLength(1);
    });

    it('announces membership changes; a removal lists the members before it', async () => {
      const conversation = await createConversation(t.alice, [t.bob]);
      seen = [];
      expect((await t.alice.api.post(`/conversations/${conversation.id}/members`, { user_id: t.carol.user.id })).status).toBe(201);
      expect((await t.alice.api.delete(`/conversations/${conversation.id}/members/${t.carol.user.id}`)).status).toBe(204);
      const [added, removed] = seen as [DomainEvent<'member.added'>, DomainEvent<'member.removed'>];
      expect(added).toMatchObject({ type: 'member.added', user_id: t.carol.user.id });
      expect(added.conversation.members.map((m) => m.user_id)).toContain(t.carol.user.id);
      expect(removed).toMatchObject({ type: 'member.removed', conversation_id: conversation.id, user_id: t.carol.user.id });
      expect([...removed.member_ids].sort()).toEqual([t.alice.user.id, t.bob.user.id, t.carol.user.id].sort());
    });

    it('announces read positions, typing and logout', async () => {
      const conversation = await createConversation(t.alice, [t.bob]);
      const message = await sendMessage(t.alice, conversation.id, 'read me');
      seen = [];
      expect((await t.bob.api.post(`/conversations/${conversation.id}/read`, { seq: message.seq })).status).toBe(204);
      const socket = await pool.open(t.bob);
      socket.send({ type: 'typing', conversation_id: conversation.id });
      const token = await loginAgain(t.carol);
      expect((await t.carol.api.as(token).delete('/sessions/current')).status).toBe(204);
      await expect.poll(() => seen.map((e) => e.type)).toEqual(['read.advanced', 'typing.started', 'sessions.revoked']);
      expect(seen[0]).toMatchObject({ conversation_id: conversation.id, user_id: t.bob.user.id, seq: message.seq });
      expect(seen[1]).toMatchObject({ conversation_id: conversation.id, user_id: t.bob.user.id });
      expect(seen[2]).toMatchObject({ user_id: t.carol.user.id, reason: 'logout' });
    });

    it('announces each of many concurrent sends once, in seq order where one writer commits (SQLite)', async () => {
      const conversation = await createConversation(t.alice, [t.bob]);
      seen = [];
      await Promise.all(Array.from({ length: 40 }, (_, i) => sendMessage(i % 2 ? t.alice : t.bob, conversation.id, `m${i}`)));
      const seqs = seen.filter((e): e is DomainEvent<'message.created'> => e.type === 'message.created').map((e) => e.message.seq);
      const all = Array.from({ length: 40 }, (_, i) => i + 1);
      // PostgreSQL acknowledges commits of parallel connections in any order (see EventPublisher).
      expect(dialect === 'sqlite' ? seqs : [...seqs].sort((a, b) => a - b)).toEqual(all);
    });

    it('a subscriber that throws neither fails the request nor stops the others', async () => {
      const unsubscribe = t.server.app.pneumatic.events.subscribe(() => {
        throw new Error('a broken subscriber');
      });
      try {
        const conversation = await createConversation(t.alice, [t.bob]);
        const bobSocket = await pool.open(t.bob);
        const message = await sendMessage(t.alice, conversation.id, 'still delivered');
        expect(await bobSocket.waitFor((f) => f.type === 'message' && f.message.message_id === message.message_id)).toBeTruthy();
        expect(seen.some((e) => e.type === 'message.created' && e.message.message_id === message.message_id)).toBe(true);
      } finally {
        unsubscribe();
      }
    });
  });
}
