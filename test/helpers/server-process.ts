/**
 * Pneumatic as a separate OS process, started the way a user starts it (config from the
 * environment), for tests that kill, restart or run several servers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * How a test starts the server as its own process: `node dist/src/main.js`, as `npm start`
 * does. The integration project's global setup compiles dist/ from the sources first
 * (test/setup/build-server.ts); `cwd` must be the repository root.
 */
export const SERVER_ENTRY = ['dist/src/main.js'] as const;

export interface ServerProcess {
  url: string;
  wsUrl: string;
  port: number;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Sends a signal and resolves with the exit code (or signal name) once it exits. */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * Ports for servers a test starts as processes come from 20000–31999, below the kernel's
 * ephemeral range (32768 and up), and from a block of 1,500 of their own per Vitest worker:
 * a port picked from the ephemeral range and closed before the child binds it could meanwhile
 * be taken by a server listening on port 0, or an outgoing connection, in another worker, and
 * the child's readiness check would then be answered by that other server. Within a worker,
 * ports are handed out in turn, each checked free by binding it.
 */
const PORT_BLOCK = 1_500;
const PORT_BASE = 20_000 + ((Number(process.env.VITEST_POOL_ID ?? 0) % 8) * PORT_BLOCK);
let nextPort = Math.floor(Math.random() * PORT_BLOCK);

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  for (let tries = 0; tries < PORT_BLOCK; tries++) {
    const port = PORT_BASE + (nextPort++ % PORT_BLOCK);
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port in ${PORT_BASE}–${PORT_BASE + PORT_BLOCK - 1}`);
}

/** `count` distinct free ports (freePort never hands out one twice in a row of 1,500). */
export async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let i = 0; i < count; i++) ports.push(await freePort());
  return ports;
}

export interface SpawnOptions {
  port?: number;
  timeoutMs?: number;
  /** Options for node itself, before the entry point (e.g. `--inspect=127.0.0.1:0`). */
  nodeArgs?: string[];
}

export async function spawnServer(env: Record<string, string>, options: SpawnOptions = {}): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...SERVER_ENTRY], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', PASSWORD_HASH_COST: 'test', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    wsUrl: `ws://127.0.0.1:${port}`,
    port,
    child,
    output: () => output,
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
