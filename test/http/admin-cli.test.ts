/**
 * `npm run admin -- grant USERNAME | revoke USERNAME | list` (docs/API.md, "Administration"):
 * appoints an admin on the server's machine, with no web access; the running server honours the
 * new role at the user's next request; the last active admin cannot be revoked; each change is in
 * the audit log with no actor; an unknown name or command exits 1 with a message.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, registerUser, type TestUser } from '../helpers/api-client.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** Runs the compiled CLI as `npm run admin` does (the test setup builds dist/ first): loading the sources through tsx would cost each run seconds of CPU. */
function runCli(databaseUrl: string, args: string[]) {
  const result = spawnSync(process.execPath, ['dist/src/cli/admin-cli.js', ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run admin', () => {
  let server: TestServer;
  let ana: TestUser;
  beforeAll(async () => {
    server = await startServer({ env: { RATE_LIMITS: 'off' } });
    ana = await registerUser(server.url, 'ana');
  });
  afterAll(() => server.close());

  it('grants the admin role to an account, which the running server honours at its next request', async () => {
    expectProblem(await ana.api.get('/admin/users'), 403, 'forbidden');
    const granted = runCli(server.database.url, ['grant', ana.user.username.toUpperCase()]);
    expect(granted.stderr).toBe('');
    expect(granted.status).toBe(0);
    expect(JSON.parse(granted.stdout)).toMatchObject({ id: ana.user.id, role: 'admin', deactivated_at: null });
    expect((await ana.api.get('/admin/users')).status).toBe(200);
    expect((await ana.api.get('/users/me/role')).body).toEqual({ role: 'admin' });
    const listed = runCli(server.database.url, ['list']);
    expect([listed.status, listed.stdout]).toEqual([0, `${ana.user.username}\n`]);
    const entries = (await ana.api.get(`/admin/audit?target_id=${ana.user.id}`)).body.entries;
    expect(entries).toEqual([expect.objectContaining({ actor_id: null, request_id: null, action: 'user.role_changed', after: { role: 'admin' } })]);
  }, 60_000);

  it('refuses to revoke the last active admin, an unknown name and a wrong command', () => {
    const last = runCli(server.database.url, ['revoke', ana.user.username]);
    expect([last.status, last.stderr.trim()]).toEqual([1, 'The server must keep an active admin: make another admin first.']);
    const unknown = runCli(server.database.url, ['grant', 'nobody_here']);
    expect([unknown.status, unknown.stderr.trim()]).toEqual([1, 'no account is named nobody_here']);
    const usage = runCli(server.database.url, ['promote', 'x']);
    expect(usage.status).toBe(1);
    expect(usage.stderr).toMatch(/^usage: npm run admin -- grant USERNAME/);
  }, 60_000);

  it('revokes an admin when another stays', async () => {
    const ben = await registerUser(server.url, 'ben');
    expect(runCli(server.database.url, ['grant', ben.user.username]).status).toBe(0);
    const revoked = runCli(server.database.url, ['revoke', ben.user.username]);
    expect(revoked.status).toBe(0);
    expect(JSON.parse(revoked.stdout)).toMatchObject({ id: ben.user.id, role: 'member' });
    expectProblem(await ben.api.get('/admin/users'), 403, 'forbidden');
  }, 60_000);
});
