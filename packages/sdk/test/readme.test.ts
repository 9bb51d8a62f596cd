/**
 * The README example runs as written: the package is built with its own tsconfig, installed as
 * `@pneumatic/client` in a scratch project, and the example code block is run with plain Node
 * against a real server process.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/databases.js';
import { spawnServer, type ServerProcess } from '../../../test/helpers/server-process.js';

const run = promisify(execFile);
const SDK = fileURLToPath(new URL('..', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

describe('README', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'pneumatic-readme-'));
  let server: ServerProcess | undefined;
  let database: TestDatabase | undefined;
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await database?.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('builds to ESM with declarations, and its example runs as written', async () => {
    const pkgDir = join(scratch, 'node_modules', '@pneumatic', 'client');
    mkdirSync(pkgDir, { recursive: true });
    await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(SDK, 'tsconfig.json'), '--outDir', join(pkgDir, 'dist')], { cwd: SDK });
    writeFileSync(join(pkgDir, 'package.json'), readFileSync(join(SDK, 'package.json')));
    const pkg = JSON.parse(readFileSync(join(SDK, 'package.json'), 'utf8'));
    for (const file of [pkg.exports['.'].import, pkg.exports['.'].types]) expect(readFileSync(join(pkgDir, file), 'utf8').length).toBeGreaterThan(0);
    symlinkSync(join(ROOT, 'node_modules', 'ws'), join(scratch, 'node_modules', 'ws'), 'dir');

    const readme = readFileSync(join(SDK, 'README.md'), 'utf8');
    const example = /## Example[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeTruthy();
    writeFileSync(join(scratch, 'example.mjs'), example!);

    database = await createTestDatabase('sqlite');
    server = await spawnServer({ DATABASE_URL: database.url });
    const { stdout } = await run(process.execPath, ['example.mjs'], { cwd: scratch, env: { ...process.env, PNEUMATIC_URL: server.url }, timeout: 20_000 });
    expect(stdout).toContain("alice's message is stored as #1");
    expect(stdout).toContain('bob got #1: Noodles at noon?');
    expect(stdout).toContain('unread for bob: 0');
    expect(stdout).toContain('bob has 1 message(s) in view');
  }, 90_000);
});
