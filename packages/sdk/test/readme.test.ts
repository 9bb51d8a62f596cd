/**
 * The SDK as a stranger gets it: `npm pack` (its prepack builds protocol types and the SDK
 * bundle), `npm install <tarball>` into an empty folder with nothing but registry dependencies,
 * a small TypeScript consumer checked against the installed declarations, and the README's
 * example run with plain Node against a real server process.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/databases.js';
import { spawnServer, type ServerProcess } from '../../../test/helpers/server-process.js';

const run = promisify(execFile);
const SDK = fileURLToPath(new URL('..', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** This process's environment without the `npm_*` variables an enclosing `npm test` sets, which the inner npm would read as its own config. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));
}

function npm(args: string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  return run('npm', args, { cwd, env: cleanEnv(), timeout: 240_000, maxBuffer: 16 * 1024 * 1024 });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/** Uses the published types the way an application does, including what they must not offer. */
const CONSUMER = `import { PneumaticClient, type Message, type ServerFrame } from '@pneumatic/client';
import * as sdk from '@pneumatic/client';

const client = new PneumaticClient({ baseUrl: 'http://127.0.0.1:8000' });
export async function latestSeq(conversationId: string): Promise<number> {
  const page = await client.listMessages(conversationId, { limit: 1 });
  const message: Message | undefined = page.messages[0];
  // @ts-expect-error seq is a number: the wire types resolve instead of falling back to any
  const wrong: string = message?.seq ?? 0;
  void wrong;
  return message?.seq ?? 0;
}
export const isAck = (frame: ServerFrame): boolean => frame.type === 'ack';
// @ts-expect-error the protocol's schema values are not part of the SDK, only their types
void sdk.User;
`;

const CONSUMER_TSCONFIG = {
  compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', lib: ['ES2023', 'DOM'], types: [], strict: true, noEmit: true, skipLibCheck: true },
  // The shipped declarations, copied as a .ts file so they are checked in full (skipLibCheck
  // skips .d.ts files, and checking all of typebox's takes minutes) while their own imports
  // still resolve through this folder's node_modules only.
  files: ['consumer.ts', 'published-types.ts'],
};

describe('README', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'pneumatic-readme-'));
  const installed = join(scratch, 'node_modules', '@pneumatic', 'client');
  let server: ServerProcess | undefined;
  let database: TestDatabase | undefined;

  beforeAll(async () => {
    await npm(['pack', '--pack-destination', scratch], SDK);
    const tarball = readdirSync(scratch).find((name) => name.endsWith('.tgz'));
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'sdk-consumer', private: true, type: 'module' }));
    // --prefer-offline: the registry is asked only for what the npm cache does not already hold.
    await npm(['install', '--no-audit', '--no-fund', '--prefer-offline', `./${tarball}`], scratch);
  }, 480_000);

  afterAll(async () => {
    await server?.stop('SIGKILL');
    await database?.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('packs to a tarball of the bundle, its declarations and the README, installable from the registry alone', () => {
    expect(filesUnder(installed)).toEqual(['README.md', 'dist/index.d.ts', 'dist/index.js', 'package.json']);
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    expect(Object.keys(pkg.dependencies ?? {}).sort()).toEqual(['typebox', 'ws']);
    expect(readdirSync(join(scratch, 'node_modules', '@pneumatic'))).toEqual(['client']);
    for (const file of ['dist/index.js', 'dist/index.d.ts']) {
      const code = readFileSync(join(installed, file), 'utf8');
      expect(code, file).not.toMatch(/(?:from\s*|import\s*\(\s*|import\s+)['"]@pneumatic\/protocol['"]/);
    }
  });

  it('its declarations are self-contained and typecheck a consumer with moduleResolution NodeNext', async () => {
    writeFileSync(join(scratch, 'consumer.ts'), CONSUMER);
    writeFileSync(join(scratch, 'published-types.ts'), readFileSync(join(installed, 'dist/index.d.ts')));
    writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify(CONSUMER_TSCONFIG));
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const diagnostics = await run(process.execPath, [tsc, '-p', join(scratch, 'tsconfig.json')], { cwd: scratch, timeout: 240_000 }).then(
      ({ stdout }) => stdout,
      (error: Error & { stdout?: string }) => error.stdout || error.message,
    );
    expect(diagnostics).toBe('');
  }, 240_000);

  it('runs its example as written, with plain Node', async () => {
    const readme = readFileSync(join(SDK, 'README.md'), 'utf8');
    const example = /## Example[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeTruthy();
    writeFileSync(join(scratch, 'example.mjs'), example!);

    database = await createTestDatabase('sqlite');
    server = await spawnServer({ DATABASE_URL: database.url });
    const { stdout } = await run(process.execPath, ['example.mjs'], { cwd: scratch, env: { ...process.env, PNEUMATIC_URL: server.url }, timeout: 30_000 });
    expect(stdout).toContain("alice's message is stored as #1");
    expect(stdout).toContain('bob got #1: Noodles at noon?');
    expect(stdout).toContain('unread for bob: 0');
    expect(stdout).toContain('bob has 1 message(s) in view');
  }, 120_000);
});
