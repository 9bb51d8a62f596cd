/**
 * Compiles the server (and the protocol package it imports) to dist/ once per test run, so the
 * suites that start Pneumatic as a separate process run it as `npm start` does: plain Node on
 * compiled JavaScript. Loading the sources through tsx instead costs about 1.5 s of CPU per
 * process, and the suites start dozens of them on a two-core machine. Both compilations are
 * incremental: with nothing changed they take a second or two.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSC = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));

export function buildServerForTests(): void {
  for (const project of ['packages/protocol/tsconfig.json', 'tsconfig.build.json']) {
    try {
      execFileSync(process.execPath, [TSC, '-p', project], { cwd: ROOT, stdio: 'pipe' });
    } catch (error) {
      const output = (error as { stdout?: Buffer }).stdout?.toString() ?? String(error);
      throw new Error(`The server does not compile (tsc -p ${project}), so no test can start it:\n${output}`);
    }
  }
}
