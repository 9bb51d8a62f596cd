/**
 * Domain events as a later subscriber (change feed, webhooks, search) sees them: typed, after
 * the commit, with the data each needs, in commit order, and never able to fail a request.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/domain/ports/events.js';
import { createConversation, loginAgain, registerUsers, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { socketPool } from '../helpers/ws-client.js';

for (const dialect of enabledDialects()) {
  describe(`domain events [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;
    let seen: DomainEvent[] = [];
    const pool = socketPool(() => server.wsUrl);
    beforeAll(async () => {
      server = await startServer({ dialect });
      server.app.pneumatic.events.subscribe((event) => seen.push(event));
      [alice, bob, carol] = await registerUsers(server.url, 'alice', 'bob', 'carol');
    });
    beforeEach(() => {
      seen = [];
    });
    afterAll(async () => {
      pool.closeAll();
      await server.close();
    });

    it('announces a conversation, its messages, an edit and a delete with the members at commit time', async () => {
      const conversation = await createConversation(alice, [bob], 'Plans');
      const first = await sendMessage(alice, conversation.id, 'one');
      const edited = await alice.api.patch(`/messages/${first.message_id}`, { content: 'one, edited' });
      expect(edited.status).toBe(200);
      expect((await alice.api.delete(`/messages/${first.message_id}`)).status).toBe(204);
      const members = [alice.user.id, bob.user.id].sort();
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
      const conversation = await createConversation(alice, [bob]);
      seen = [];
      const id = randomUUID();
      await sendMessage(alice, conversation.id, 'once', id);
      expect((await alice.api.post('/messages', { message_id: id, conversation_id: conversation.id, content: 'once' })).status).toBe(200);
      expect(seen.filter((e) => e.type === 'message.created')).toHaveLength(1);
    });

    it('announces membership changes; a removal lists the members before it', async () => {
      const conversation = await createConversation(alice, [bob]);
      seen = [];
      expect((await alice.api.post(`/conversations/${conversation.id}/members`, { user_id: carol.user.id })).status).toBe(201);
      expect((await alice.api.delete(`/conversations/${conversation.id}/members/${carol.user.id}`)).status).toBe(204);
      const [added, removed] = seen as [DomainEvent<'member.added'>, DomainEvent<'member.removed'>];
      expect(added).toMatchObject({ type: 'member.added', user_id: carol.user.id });
      expect(added.conversation.members.map((m) => m.user_id)).toContain(carol.user.id);
      expect(removed).toMatchObject({ type: 'member.removed', conversation_id: conversation.id, user_id: carol.user.id });
      expect([...removed.member_ids].sort()).toEqual([alice.user.id, bob.user.id, carol.user.id].sort());
    });

    it('announces read positions, typing and logout', async () => {
      const conversation = await createConversation(alice, [bob]);
      const message = await sendMessage(alice, conversation.id, 'read me');
      seen = [];
      expect((await bob.api.post(`/conversations/${conversation.id}/read`, { seq: message.seq })).status).toBe(204);
      const socket = await pool.open(bob);
      socket.send({ type: 'typing', conversation_id: conversation.id });
      const token = await loginAgain(carol);
      expect((await carol.api.as(token).delete('/sessions/current')).status).toBe(204);
      await expect.poll(() => seen.map((e) => e.type)).toEqual(['read.advanced', 'typing.started', 'sessions.revoked']);
      expect(seen[0]).toMatchObject({ conversation_id: conversation.id, user_id: bob.user.id, seq: message.seq });
      expect(seen[1]).toMatchObject({ conversation_id: conversation.id, user_id: bob.user.id });
      expect(seen[2]).toMatchObject({ user_id: carol.user.id, reason: 'logout' });
    });

    it('announces each of many concurrent sends once, in seq order where one writer commits (SQLite)', async () => {
      const conversation = await createConversation(alice, [bob]);
      seen = [];
      await Promise.all(Array.from({ length: 40 }, (_, i) => sendMessage(i % 2 ? alice : bob, conversation.id, `m${i}`)));
      const seqs = seen.filter((e): e is DomainEvent<'message.created'> => e.type === 'message.created').map((e) => e.message.seq);
      const all = Array.from({ length: 40 }, (_, i) => i + 1);
      // PostgreSQL acknowledges commits of parallel connections in any order (see EventPublisher).
      expect(dialect === 'sqlite' ? seqs : [...seqs].sort((a, b) => a - b)).toEqual(all);
    });

    it('a subscriber that throws neither fails the request nor stops the others', async () => {
      const unsubscribe = server.app.pneumatic.events.subscribe(() => {
        throw new Error('a broken subscriber');
      });
      try {
        const conversation = await createConversation(alice, [bob]);
        const bobSocket = await pool.open(bob);
        const message = await sendMessage(alice, conversation.id, 'still delivered');
        expect(await bobSocket.waitFor((f) => f.type === 'message' && f.message.message_id === message.message_id)).toBeTruthy();
        expect(seen.some((e) => e.type === 'message.created' && e.message.message_id === message.message_id)).toBe(true);
      } finally {
        unsubscribe();
      }
    });
  });
}
