/**
 * `npm test`: the vitest suite, with the type check and lint run beside it instead of before it.
 * The suite spends much of its time waiting on servers, databases and timers; the checks (a
 * minute of CPU) take that idle time at a lower priority, so they cost the run little and no
 * longer add their minute to it. Their output is printed after the suite's; any failure fails
 * the command. Arguments go to vitest (`npm test -- test/http`).
 */
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath, URL } from 'node:url';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** Lower than the suite's servers and browsers (0), so the checks never hold a timed test up. */
const CHECKS_NICENESS = 10;

function run(command, args, options) {
  return new Promise((resolve) => {
    const child = spawn(command, args, options);
    if (options.niceness) {
      try {
        setPriority(child.pid, options.niceness);
      } catch {
        // Not permitted here: the checks run at the same priority, only slower for the suite.
      }
    }
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ code: 1, output: `${output}${error.message}\n` }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

async function checks() {
  const piped = { stdio: ['ignore', 'pipe', 'pipe'], niceness: CHECKS_NICENESS };
  const typecheck = await run(npm, ['run', '--silent', 'typecheck'], piped);
  const lint = await run(npm, ['run', '--silent', 'lint'], piped);
  return [
    { name: 'typecheck', ...typecheck },
    { name: 'lint', ...lint },
  ];
}

const [suite, results] = await Promise.all([run(process.execPath, [fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url)), 'run', ...process.argv.slice(2)], { stdio: 'inherit' }), checks()]);

for (const { name, code, output } of results) {
  process.stdout.write(`\n${code === 0 ? '✓' : '✗'} npm run ${name}${code === 0 ? '' : ` failed (exit ${code})`}\n`);
  if (output.trim()) process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
}
const failed = [suite.code !== 0 && 'vitest', ...results.filter((r) => r.code !== 0).map((r) => r.name)].filter(Boolean);
if (failed.length > 0) {
  process.stdout.write(`\nnpm test failed: ${failed.join(', ')}\n`);
  process.exit(1);
}
