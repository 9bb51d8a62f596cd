/**
 * `--compare REF`: another commit checked out and built beside this one, so that both builds
 * are measured in the same run (same machine state, interleaved steps).
 *
 * The checkout is a detached git worktree under the system's temporary directory, named by the
 * commit, and reused when a previous run left it built (`--keep-ref`). Its dependencies: when
 * REF's package-lock.json is this checkout's, its node_modules links to ours entry by entry
 * (the workspace packages under @pneumatic/ point at REF's own packages/); otherwise `npm ci`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RefCheckout {
  /** The name given on the command line (e.g. HEAD~3, main). */
  ref: string;
  commit: string;
  /** Short commit and subject, for the report. */
  label: string;
  dir: string;
  /** Removes the worktree (unless it should be kept for the next run). */
  remove(): void;
}

function git(root: string, args: string[]): string {
  const out = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`git ${args.join(' ')}: ${out.stderr.trim()}`);
  return out.stdout.trim();
}

function run(dir: string, command: string, args: string[], log: (text: string) => void): void {
  log(`  ${command} ${args.join(' ')} (in ${dir})`);
  const out = spawnSync(command, args, { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (out.status !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${dir}:\n${(out.stdout + out.stderr).slice(-3000)}`);
}

function readOrEmpty(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

/** node_modules for REF made of links into ours; workspace packages link to REF's packages/. */
function linkNodeModules(root: string, dir: string): void {
  const ours = join(root, 'node_modules');
  const theirs = join(dir, 'node_modules');
  rmSync(theirs, { recursive: true, force: true });
  mkdirSync(theirs);
  for (const entry of readdirSync(ours)) {
    if (entry === '@pneumatic') continue;
    symlinkSync(join(ours, entry), join(theirs, entry));
  }
  const scope = join(ours, '@pneumatic');
  if (!existsSync(scope)) return;
  mkdirSync(join(theirs, '@pneumatic'));
  // npm's workspace links are relative (../../packages/sdk): the same text resolves inside REF.
  for (const entry of readdirSync(scope)) symlinkSync(readlinkSync(join(scope, entry)), join(theirs, '@pneumatic', entry));
}

export function prepareRef(root: string, ref: string, keep: boolean, log: (text: string) => void): RefCheckout {
  const commit = git(root, ['rev-parse', '--verify', `${ref}^{commit}`]);
  const subject = git(root, ['log', '-1', '--format=%s', commit]);
  const label = `${commit.slice(0, 7)} “${subject.length > 60 ? `${subject.slice(0, 59)}…` : subject}”`;
  const dir = join(tmpdir(), 'pneumatic-bench-ref', commit.slice(0, 12));
  const removeNow = () => {
    spawnSync('git', ['worktree', 'remove', '--force', dir], { cwd: root, stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  };
  const remove = () => {
    if (!keep) removeNow();
  };
  if (existsSync(join(dir, 'dist/.build-stamp')) && existsSync(join(dir, 'dist/src/main.js'))) {
    log(`--compare ${ref}: reusing the build of ${label} in ${dir}`);
    return { ref, commit, label, dir, remove };
  }
  log(`--compare ${ref}: checking out and building ${label} in ${dir}`);
  spawnSync('git', ['worktree', 'prune'], { cwd: root, stdio: 'ignore' });
  if (existsSync(dir)) removeNow();
  mkdirSync(join(tmpdir(), 'pneumatic-bench-ref'), { recursive: true });
  git(root, ['worktree', 'add', '--detach', dir, commit]);
  try {
    if (readOrEmpty(join(dir, 'package-lock.json')) === readOrEmpty(join(root, 'package-lock.json'))) {
      log('  same package-lock.json: linking node_modules to this checkout\'s');
      linkNodeModules(root, dir);
    } else run(dir, 'npm', ['ci', '--no-audit', '--no-fund'], log);
    run(dir, 'npm', ['run', 'build'], log);
    // The stamp tells scripts/build-if-needed.mjs (and the next --keep-ref run) it is built.
    run(dir, process.execPath, ['-e', "require('fs').writeFileSync('dist/.build-stamp', new Date().toISOString())"], log);
  } catch (error) {
    removeNow();
    throw error;
  }
  return { ref, commit, label, dir, remove };
}
