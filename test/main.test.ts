import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from './helpers/databases.js';
import { SERVER_ENTRY, spawnServer } from './helpers/server-process.js';
import { TestSocket } from './helpers/ws-client.js';
import { registerUser } from './helpers/api-client.js';
import { describeSettings } from '../src/config/config.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function runMain(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [...SERVER_ENTRY, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('the server process', () => {
  it('--help prints every setting with its default and doc, and exits 0 without starting', async () => {
    // A bad environment: help must not read the config (it would exit 78), nor open or listen on anything.
    const { code, stdout, stderr } = await runMain(['--help'], { PORT: 'eighty', DATABASE_URL: 'mysql://x' });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: /);
    for (const setting of describeSettings()) {
      expect(stdout).toContain(`  ${setting.name} (default: ${setting.default === '' ? '(none)' : setting.default})\n      ${setting.doc}\n`);
    }
    expect((await runMain(['-h'])).stdout).toBe(stdout);
  }, 120_000);

  it('refuses an unknown argument with exit code 64, pointing at --help', async () => {
    const { code, stderr } = await runMain(['--port=80']);
    expect(code).toBe(64);
    expect(stderr).toContain('--help');
  }, 120_000);

  it('refuses to start on bad configuration, naming every bad setting', async () => {
    const child = spawn(process.execPath, [...SERVER_ENTRY], {
      cwd: ROOT,
      env: { ...process.env, PORT: 'eighty', DATABASE_URL: 'mysql://x', RATE_LIMITS: 'maybe' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).not.toBe(0);
    expect(stderr).toContain('PORT');
    expect(stderr).toContain('DATABASE_URL');
    expect(stderr).toContain('RATE_LIMITS');
  }, 120_000);

  it('on SIGTERM closes sockets with 1001 and exits 0', async () => {
    const database = await createTestDatabase('sqlite');
    const server = await spawnServer({ DATABASE_URL: database.url });
    try {
      const alice = await registerUser(server.url);
      const socket = await TestSocket.open(server.wsUrl, { token: alice.token });
      const exit = server.stop('SIGTERM');
      expect((await socket.waitForClose()).code).toBe(1001);
      expect(await exit).toBe(0);
    } finally {
      await server.stop('SIGKILL');
      await database.drop();
    }
  }, 120_000);

  it('keeps its data across a restart on the same SQLite file', async () => {
    const database = await createTestDatabase('sqlite');
    const first = await spawnServer({ DATABASE_URL: database.url });
    const alice = await registerUser(first.url);
    await first.stop();
    const second = await spawnServer({ DATABASE_URL: database.url });
    try {
      const response = await fetch(`${second.url}/users/me`, { headers: { authorization: `Bearer ${alice.token}` } });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { id: string }).id).toBe(alice.user.id);
    } finally {
      await second.stop();
      await database.drop();
    }
  }, 180_000);
});
