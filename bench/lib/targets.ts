/** Starting and stopping the servers under test: Pneumatic (compiled, fresh database each start) and the raw ws server. */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createAgent, request } from './http.js';
import { freePort, processTree, spawnPinned, stopChild } from './processes.js';

/** pneumatic: this checkout's build; ref: the build of another commit (--compare REF); raw: the ws broadcast server. */
export type TargetKind = 'pneumatic' | 'ref' | 'raw';

export interface TargetOptions {
  root: string;
  /** Where Pneumatic's compiled dist/src/main.js lives (normally the same as root). */
  serverRoot: string;
  /** The checkout of --compare REF, with its own built dist/ (target kind 'ref'). */
  refRoot?: string;
  db: 'sqlite' | 'postgres';
  postgresUrl: string;
  /** null: the flag was not given; the server runs as it does by default. */
  workers: number | null;
  redisUrl: string;
  core: number | null;
  nice: number | null;
  /** More settings for Pneumatic's environment (a workload's own, e.g. UPLOAD_DIR); not for the raw server. */
  env?: Record<string, string>;
}

export interface RunningTarget {
  kind: TargetKind;
  baseUrl: string;
  wsUrl: string;
  pid: number;
  /** false when --workers N>1 was asked but the server did not start N processes. */
  workersSupported: boolean;
  processes: number;
  /** PostgreSQL only: the server's database (fresh per start), e.g. to find its backends. */
  databaseName: string | null;
  /** Pneumatic's DATABASE_URL (sqlite:FILE or postgres://…), for workloads that seed it directly; null for the raw server. */
  databaseUrl: string | null;
  output(): string;
  stop(): Promise<void>;
}

const RAW_SERVER = fileURLToPath(new URL('../raw-ws-server.ts', import.meta.url));
let databaseCounter = 0;

function captureOutput(child: ChildProcess): () => string {
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => output;
}

async function waitReady(child: ChildProcess, baseUrl: string, output: () => string, timeoutMs: number): Promise<void> {
  const agent = createAgent(1);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited (${child.exitCode ?? child.signalCode}):\n${output()}`);
      try {
        if ((await request(agent, baseUrl, 'GET', '/readyz', { timeoutMs: 1000 })).status === 200) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`server not ready after ${timeoutMs} ms:\n${output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    agent.destroy();
  }
}

async function adminQuery(postgresUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh database for one server start, and how to remove it afterwards. */
async function freshDatabase(options: TargetOptions): Promise<{ url: string; name: string | null; drop: () => Promise<void> }> {
  if (options.db === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'pneumatic-bench-'));
    return { url: `sqlite:${join(dir, 'bench.db')}`, name: null, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `pneumatic_bench_${process.pid}_${++databaseCounter}`;
  await adminQuery(options.postgresUrl, `CREATE DATABASE ${name}`);
  const url = new URL(options.postgresUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), name, drop: () => adminQuery(options.postgresUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export async function startTarget(kind: TargetKind, options: TargetOptions): Promise<RunningTarget> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let drop = async () => {};
  let databaseName: string | null = null;
  let databaseUrl: string | null = null;
  let child: ChildProcess;
  if (kind === 'pneumatic' || kind === 'ref') {
    const serverRoot = kind === 'ref' ? options.refRoot : options.serverRoot;
    if (!serverRoot) throw new Error('no checkout for --compare');
    const database = await freshDatabase(options);
    drop = database.drop;
    databaseName = database.name;
    databaseUrl = database.url;
    const env: Record<string, string> = {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      RATE_LIMITS: 'off',
      PASSWORD_HASH_COST: 'test',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      ...options.env,
      ...extraServerEnv(),
    };

    if (options.workers !== null) {
      env.PNEUMATIC_WORKERS = String(options.workers);
      env.REDIS_URL = options.redisUrl;
    }
    // A profiling aid, e.g. BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' (workers inherit execArgv).
    const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    child = spawnPinned([process.execPath, ...nodeArgs, 'dist/src/main.js'], { core: options.core, nice: options.nice, cwd: serverRoot, env, stdio: 'pipe' });
  } else {
    child = spawnPinned([process.execPath, '--import', 'tsx', RAW_SERVER], { core: options.core, nice: options.nice, cwd: options.root, env: { PORT: String(port) }, stdio: 'pipe' });
  }
  child.stdin?.end();
  const output = captureOutput(child);
  const stop = async () => {
    await stopChild(child, 5000);
    await drop().catch((error: unknown) => console.warn(`could not remove the benchmark database: ${String(error)}`));
  };
  try {
    await waitReady(child, baseUrl, output, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  const pid = child.pid ?? -1;
  let processes = processTree(pid).length;
  const wanted = kind !== 'raw' && options.workers !== null ? options.workers : 1;
  if (wanted > 1 && processes < wanted) {
    // Workers may still be forking: give them a moment before concluding.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    processes = processTree(pid).length;
  }
  return { kind, baseUrl, wsUrl: `ws://127.0.0.1:${port}/ws`, pid, workersSupported: processes >= wanted, processes, databaseName, databaseUrl, output, stop };
}

/** BENCH_SERVER_ENV="NAME=value NAME2=value2": settings for every Pneumatic server a run starts (e.g. PUSH_COLLAPSE_SECONDS=3600), as BENCH_SERVER_NODE_ARGS is for node's flags. */
export function extraServerEnv(): Record<string, string> {
  const pairs = (process.env.BENCH_SERVER_ENV ?? '').split(' ').filter(Boolean);
  return Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}
