/**
 * Conversation roles and blocking through the SDK (docs/API.md, "Conversation roles",
 * "Blocking"): an owner makes a member admin, typed refusals for the rest (`not_owner`,
 * `last_owner`, `blocked`), a client's list of blocks, and a report from a member to an admin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/helpers/server.js';
import { PneumaticClient } from '../src/client.js';
import { PneumaticError } from '../src/errors.js';
import { registeredClient } from './helpers.js';

describe('conversation roles and blocking through the SDK', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { RATE_LIMITS: 'off', ADMIN_USERNAMES: 'sdk_moderator' } });
  });
  afterAll(() => server.close());

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => (error instanceof PneumaticError ? { code: error.code, status: error.status } : error),
    );

  it('an owner sets roles; an admin may not; the only owner cannot step down', async () => {
    const [owner, deputy, plain] = await Promise.all([registeredClient(server.url, 'owner'), registeredClient(server.url, 'deputy'), registeredClient(server.url, 'plain')]);
    const conversation = await owner.createConversation({ title: 'roles', member_ids: [deputy.user!.id, plain.user!.id] });
    const promoted = await owner.setMemberRole(conversation.id, deputy.user!.id, 'admin');
    expect(promoted).toMatchObject({ user_id: deputy.user!.id, role: 'admin' });
    expect(await refusal(deputy.setMemberRole(conversation.id, plain.user!.id, 'admin'))).toEqual({ code: 'not_owner', status: 403 });
    expect(await refusal(owner.setMemberRole(conversation.id, owner.user!.id, 'member'))).toEqual({ code: 'last_owner', status: 409 });
    await deputy.removeMember(conversation.id, plain.user!.id);
    expect((await owner.getConversation(conversation.id)).members.map((m) => [m.user_id, m.role]).sort()).toEqual(
      [[owner.user!.id, 'owner'], [deputy.user!.id, 'admin']].sort(),
    );
  });

  it('blocks and unblocks; a blocked client gets a typed blocked refusal', async () => {
    const [me, pest] = await Promise.all([registeredClient(server.url, 'me'), registeredClient(server.url, 'pest')]);
    await me.blockUser(pest.user!.id);
    await me.blockUser(pest.user!.id);
    expect((await me.listBlocks()).map((b) => b.user.id)).toEqual([pest.user!.id]);
    expect(await refusal(pest.createConversation({ title: 'dm', member_ids: [me.user!.id] }))).toEqual({ code: 'blocked', status: 403 });
    expect(await refusal(me.blockUser(me.user!.id))).toEqual({ code: 'invalid_request', status: 400 });
    const data = await me.exportMyData();
    expect(data).toMatchObject({ format: 'pneumatic-user-export', user: { id: me.user!.id }, conversations: [], messages: [] });
    expect(data.blocks.map((b) => b.user.id)).toEqual([pest.user!.id]);
    await me.unblockUser(pest.user!.id);
    expect(await me.listBlocks()).toEqual([]);
    expect((await pest.createConversation({ title: 'dm', member_ids: [me.user!.id] })).members).toHaveLength(2);
  });

  it('a member reports a message; an admin sees it in the queue and resolves it', async () => {
    const moderator = new PneumaticClient({ baseUrl: server.url });
    await moderator.register('sdk_moderator', 'correct horse battery');
    const [reporter, sender] = await Promise.all([registeredClient(server.url, 'reporter'), registeredClient(server.url, 'sender')]);
    const conversation = await sender.createConversation({ title: 'r', member_ids: [reporter.user!.id] });
    const message = await sender.send(conversation.id, 'spam');
    const report = await reporter.reportMessage(message.message_id, 'spam');
    expect(report).toMatchObject({ message_id: message.message_id, content: 'spam', status: 'open' });
    expect((await moderator.listReports()).reports.map((r) => r.id)).toContain(report.id);
    expect(await refusal(reporter.listReports())).toEqual({ code: 'forbidden', status: 403 });
    expect(await moderator.closeReport(report.id, 'resolved', 'handled')).toMatchObject({ status: 'resolved', note: 'handled' });
    expect(await refusal(moderator.closeReport(report.id, 'dismissed'))).toEqual({ code: 'report_closed', status: 409 });
  });
});
