/**
 * Compiles the server (and the protocol package it imports) to dist/ once per test run, so the
 * suites that start Pneumatic as a separate process run it as `npm start` does: plain Node on
 * compiled JavaScript. Loading the sources through tsx instead costs about 1.5 s of CPU per
 * process, and the suites start dozens of them on a two-core machine. Both compilations are
 * incremental: with nothing changed they take a second or two.
 *
 * Each project with this global setup (integration, cluster3) runs it, one after the other in
 * the same process: the first build is marked in the environment and the second skips it (it
 * would find nothing changed, but its two compilers still cost about 8 s of CPU before any test).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSC = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));

const BUILT = 'PNEUMATIC_TEST_SERVER_BUILT';

export function buildServerForTests(): void {
  if (process.env[BUILT] === '1') return;
  for (const project of ['packages/protocol/tsconfig.json', 'tsconfig.build.json']) {
    try {
      execFileSync(process.execPath, [TSC, '-p', project], { cwd: ROOT, stdio: 'pipe' });
    } catch (error) {
      const output = (error as { stdout?: Buffer }).stdout?.toString() ?? String(error);
      throw new Error(`The server does not compile (tsc -p ${project}), so no test can start it:\n${output}`);
    }
  }
  process.env[BUILT] = '1';
}
