import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from './helpers/databases.js';
import { spawnServer } from './helpers/server-process.js';
import { TestSocket } from './helpers/ws-client.js';
import { registerUser } from './helpers/api-client.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('the server process', () => {
  it('refuses to start on bad configuration, naming every bad setting', async () => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts'], {
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
