/**
 * Administration through the SDK (docs/API.md, "Administration"): an admin's client lists users,
 * makes and unmakes admins, deactivates a user (whose SDK session ends for good with 4503 and
 * does not reconnect), deletes a message and reads the audit log; a member's client is refused
 * with a typed `forbidden` error, and learns its own role.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/helpers/server.js';
import { PneumaticClient } from '../src/client.js';
import { PneumaticError } from '../src/errors.js';
import type { SessionStateChange } from '../src/session/session-events.js';
import { registeredClient, uniqueName } from './helpers.js';

const PASSWORD = 'correct horse battery';

describe('administration through the SDK', () => {
  let server: TestServer;
  let admin: PneumaticClient;
  const adminName = uniqueName('chief').toLowerCase();
  beforeAll(async () => {
    server = await startServer({ env: { RATE_LIMITS: 'off', ADMIN_USERNAMES: adminName } });
    admin = new PneumaticClient({ baseUrl: server.url });
    await admin.register(adminName, PASSWORD);
  });
  afterAll(() => server.close());

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => (error instanceof PneumaticError ? { code: error.code, status: error.status } : error),
    );

  it('tells each client its own role; refuses a member with a typed forbidden', async () => {
    const member = await registeredClient(server.url, 'plain');
    expect(await admin.myServerRole()).toBe('admin');
    expect(await member.myServerRole()).toBe('member');
    expect(await refusal(member.listUsersAsAdmin())).toEqual({ code: 'forbidden', status: 403 });
    expect(await refusal(member.listAudit())).toEqual({ code: 'forbidden', status: 403 });
  });

  it('lists, promotes and demotes; the last admin is kept', async () => {
    const member = await registeredClient(server.url, 'deputy');
    const page = await admin.listUsersAsAdmin({ q: member.user!.username, limit: 5 });
    expect(page.users).toEqual([expect.objectContaining({ id: member.user!.id, role: 'member', deactivated: false, deactivated_at: null })]);
    expect((await admin.updateUserAsAdmin(member.user!.id, { role: 'admin' })).role).toBe('admin');
    expect(await member.myServerRole()).toBe('admin');
    expect((await admin.updateUserAsAdmin(member.user!.id, { role: 'member' })).role).toBe('member');
    expect(await refusal(admin.updateUserAsAdmin(admin.user!.id, { role: 'member' }))).toEqual({ code: 'last_admin', status: 409 });
  });

  it('deactivates a user: their session ends with 4503 and stays closed; their message can be deleted by the admin; all of it audited', async () => {
    const target = await registeredClient(server.url, 'target');
    const conversation = await target.createConversation({ title: 'mine', member_ids: [] });
    const message = await target.postMessage({ message_id: crypto.randomUUID(), conversation_id: conversation.id, content: 'to be removed' });
    const session = await target.connect();
    const closed = new Promise<SessionStateChange>((resolve) => session.on('state', (change) => change.state === 'closed' && resolve(change)));
    expect((await admin.updateUserAsAdmin(target.user!.id, { deactivated: true })).deactivated).toBe(true);
    const change = await closed;
    expect(change).toMatchObject({ state: 'closed', code: 4503 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(session.connectionState).toBe('closed');
    expect(await refusal(new PneumaticClient({ baseUrl: server.url }).login(target.user!.username, PASSWORD))).toEqual({ code: 'account_deactivated', status: 403 });

    await admin.deleteMessageAsAdmin(message.message_id);
    const entries = (await admin.listAudit({ actor_id: admin.user!.id, limit: 10 })).entries;
    expect(entries.slice(0, 2).map((e) => [e.action, e.target_id])).toEqual([
      ['message.deleted', message.message_id],
      ['user.deactivated', target.user!.id],
    ]);
    const older = await admin.listAudit({ actor_id: admin.user!.id, limit: 1, cursor: (await admin.listAudit({ actor_id: admin.user!.id, limit: 1 })).next_cursor! });
    expect(older.entries[0]!.action).toBe('user.deactivated');
  });
});
