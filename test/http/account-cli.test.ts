/**
 * `npm run account -- create USERNAME` (docs/API.md, "Registration and invites"): makes an
 * account that logs in, on a server closed to sign-ups; refuses a taken name, a bad name and a
 * short password with a message and a non-zero exit, creating nothing.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, expectProblem } from '../helpers/api-client.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** Runs the compiled CLI as `npm run account` does (the test setup builds dist/ first): loading the sources through tsx would cost each run seconds of CPU. */
function runCli(databaseUrl: string, args: string[], password: string) {
  const result = spawnSync(process.execPath, ['dist/src/cli/account-cli.js', ...args], {
    input: `${password}\n`,
    env: { ...process.env, DATABASE_URL: databaseUrl, PASSWORD_HASH_COST: 'test', LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run account -- create', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { RATE_LIMITS: 'off', REGISTRATION: 'closed' } });
  });
  afterAll(() => server.close());

  it('creates an account that logs in on a closed server', () => {
    const made = runCli(server.database.url, ['create', 'operator_made'], 'a long enough password');
    expect(made.stderr).toBe('');
    expect(made.status).toBe(0);
    expect(JSON.parse(made.stdout)).toMatchObject({ username: 'operator_made', is_bot: false, display_name: null });
  }, 60_000);

  it('the account logs in and is found in the directory', async () => {
    const login = await new Api(server.url).post('/sessions', { username: 'operator_made', password: 'a long enough password' });
    expect(login.status).toBe(201);
    const found = await new Api(server.url, login.body.token).get('/users?q=operator');
    expect(found.body.users.map((u: { username: string }) => u.username)).toEqual(['operator_made']);
    expectProblem(await new Api(server.url).post('/users', { username: 'someone', password: 'a long enough password' }), 403, 'registration_closed');
  });

  it('refuses a taken name, a bad name, a short password and a wrong command', () => {
    const taken = runCli(server.database.url, ['create', 'OPERATOR_made'], 'a long enough password');
    expect([taken.status, taken.stderr.trim()]).toEqual([1, 'the username OPERATOR_made is taken']);
    const bad = runCli(server.database.url, ['create', 'no spaces'], 'a long enough password');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/a username is 3 to 32 characters/);
    const short = runCli(server.database.url, ['create', 'shorty'], 'short');
    expect(short.status).toBe(1);
    expect(short.stderr).toMatch(/a password is 8 to 1024 characters/);
    const usage = runCli(server.database.url, ['delete', 'x'], '');
    expect(usage.status).toBe(1);
    expect(usage.stderr).toMatch(/^usage: npm run account -- create USERNAME/);
  }, 60_000);
});
