/**
 * Removing a user's messages through the SDK (docs/API.md, "Administration", Removing a user's
 * messages): an admin's client starts a removal, follows it to done and finds it in the list; a
 * bad window and a member's client are refused with typed errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/helpers/server.js';
import { PneumaticClient } from '../src/client.js';
import { PneumaticError } from '../src/errors.js';
import type { MessageRemoval } from '../src/types.js';
import { registeredClient, storedMessages, uniqueName } from './helpers.js';

describe('message removals through the SDK', () => {
  let server: TestServer;
  let admin: PneumaticClient;
  const adminName = uniqueName('mod').toLowerCase();
  beforeAll(async () => {
    server = await startServer({ env: { RATE_LIMITS: 'off', ADMIN_USERNAMES: adminName } });
    admin = new PneumaticClient({ baseUrl: server.url });
    await admin.register(adminName, 'correct horse battery');
  });
  afterAll(() => server.close());

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => (error instanceof PneumaticError ? { code: error.code, status: error.status } : error),
    );

  it("starts a removal of a user's messages, follows it to done, and lists it", async () => {
    const spammer = await registeredClient(server.url, 'spammer');
    const conversation = await spammer.createConversation({ title: 'spam', member_ids: [] });
    const sent = [];
    for (const content of ['one', 'two', 'three']) sent.push(await spammer.postMessage({ message_id: crypto.randomUUID(), conversation_id: conversation.id, content }));
    // From the second message on: the first stays.
    const started = await admin.startMessageRemoval(spammer.user!.id, { from: sent[1]!.created_at });
    expect(started).toMatchObject({ user_id: spammer.user!.id, requested_by: admin.user!.id, from: sent[1]!.created_at, to: null, status: 'running', total: 2 });
    let removal: MessageRemoval = started;
    for (let i = 0; removal.status === 'running' && i < 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      removal = await admin.getMessageRemoval(started.id);
    }
    expect(removal).toMatchObject({ status: 'done', removed: 2, total: 2 });
    const page = await admin.listMessageRemovals({ userId: spammer.user!.id, limit: 10 });
    expect(page).toEqual({ removals: [removal], next_cursor: null });
    const history = await storedMessages(spammer, conversation.id);
    expect(history.map((m) => [m.content, m.deleted])).toEqual([['one', false], ['', true], ['', true]]);
  });

  it('refuses an empty window and an unknown removal, and a member altogether, with typed errors', async () => {
    const member = await registeredClient(server.url, 'plain');
    const at = new Date().toISOString();
    expect(await refusal(admin.startMessageRemoval(member.user!.id, { from: at, to: at }))).toEqual({ code: 'invalid_request', status: 400 });
    expect(await refusal(admin.getMessageRemoval(crypto.randomUUID()))).toEqual({ code: 'not_found', status: 404 });
    expect(await refusal(member.startMessageRemoval(admin.user!.id))).toEqual({ code: 'forbidden', status: 403 });
    expect(await refusal(member.listMessageRemovals())).toEqual({ code: 'forbidden', status: 403 });
  });
});
