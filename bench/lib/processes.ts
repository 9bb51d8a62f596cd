/** Child processes pinned to a core (taskset), with a raised open-files limit, and /proc readings of a process tree. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { getPriority, setPriority } from 'node:os';

export function hasTaskset(): boolean {
  return spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
}

/** The hard RLIMIT_NOFILE of this environment: children raise their soft limit to it. */
export function openFilesHardLimit(): number {
  const out = spawnSync('bash', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).stdout.trim();
  return out === 'unlimited' ? 1_048_576 : Number(out) || 1024;
}

function shellQuote(arg: string): string {
  return `'${arg.replaceAll("'", "'\\''")}'`;
}

export interface SpawnOptions {
  core: number | null;
  /** A nice value (negative raises priority; needs root), or null to inherit. */
  nice?: number | null;
  env: Record<string, string>;
  cwd: string;
  stdio: 'pipe' | 'inherit-stderr';
}

/** Runs `command` via `bash -c 'ulimit -n HARD; exec taskset -c CORE command'`: the pid stays the command's. */
export function spawnPinned(command: string[], options: SpawnOptions): ChildProcess {
  const pin = `${options.nice == null ? '' : `nice -n ${options.nice} `}${options.core === null ? '' : `taskset -c ${options.core} `}`;
  const script = `ulimit -n ${openFilesHardLimit()}; exec ${pin}${command.map(shellQuote).join(' ')}`;
  return spawn('bash', ['-c', script], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: options.stdio === 'pipe' ? ['pipe', 'pipe', 'pipe'] : ['pipe', 'pipe', 'inherit'],
  });
}

/**
 * Runs this process (every thread: Linux keeps a nice value per thread, and libuv's pool writes
 * the files) at `nice`, as --nice runs the server and the generators; the result restores the
 * values it found. For work the runner does itself, e.g. the uploads workload's baseline.
 */
export function niceSelf(nice: number | null): () => void {
  if (nice === null) return () => {};
  const before = new Map<number, number>();
  for (const entry of readdirSync('/proc/self/task')) {
    const tid = Number(entry);
    try {
      before.set(tid, getPriority(tid));
      setPriority(tid, nice);
    } catch {
      // exited meanwhile
    }
  }
  return () => {
    for (const [tid, value] of before) {
      try {
        setPriority(tid, value);
      } catch {
        // exited meanwhile
      }
    }
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

function readStat(pid: number): { ppid: number; cpuTicks: number; systemTicks: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]), systemTicks: Number(fields[12]) };
  } catch {
    return null;
  }
}

/** The pid and every descendant of it. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(Number(entry));
    children.set(stat.ppid, list);
  }
  const tree: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    tree.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** Resident memory of the whole process tree, in bytes. */
export function treeRss(root: number): number {
  let total = 0;
  for (const pid of processTree(root)) {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) total += Number(match[1]) * 1024;
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU seconds used so far by the whole process tree. */
export function treeCpuSeconds(root: number): number {
  let ticks = 0;
  for (const pid of processTree(root)) ticks += readStat(pid)?.cpuTicks ?? 0;
  return ticks / TICKS_PER_SECOND;
}

/** The part of treeCpuSeconds spent in the kernel (system time: syscalls, socket writes on loopback, scheduling). */
export function treeSystemCpuSeconds(root: number): number {
  let ticks = 0;
  for (const pid of processTree(root)) ticks += readStat(pid)?.systemTicks ?? 0;
  return ticks / TICKS_PER_SECOND;
}

/** CPU seconds used so far by one thread (`tid`) of process `pid`: the main thread's tid is the pid. */
export function threadCpuSeconds(pid: number, tid: number): number {
  try {
    const text = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Resolves with the exit code once the child exits; SIGKILL after `graceMs`. */
export function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function machineFields(): number[] {
  try {
    return readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  } catch {
    return [];
  }
}

/** CPU seconds the whole machine has spent busy (every core, every process), from /proc/stat. */
export function machineBusySeconds(): number {
  const fields = machineFields();
  if (fields.length < 8) return Number.NaN;
  // user nice system idle iowait irq softirq steal: busy is everything but idle and iowait.
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  return (total - (fields[3] ?? 0) - (fields[4] ?? 0)) / TICKS_PER_SECOND;
}

/** CPU seconds the hypervisor gave other guests while ours wanted to run ("steal", /proc/stat). */
export function machineStealSeconds(): number {
  const fields = machineFields();
  return fields.length < 8 ? Number.NaN : fields[7]! / TICKS_PER_SECOND;
}
