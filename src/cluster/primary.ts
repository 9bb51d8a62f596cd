import cluster, { type Worker } from 'node:cluster';
import type { Config } from '../config/config.js';

const RESTART_DELAY_MS = 1000;

/**
 * PNEUMATIC_WORKERS=N: N full servers share the port (node:cluster hands each new TCP
 * connection to a worker) and exchange live events through Redis. A worker that dies is
 * replaced; its clients reconnect to the others and catch up. SIGTERM drains every worker.
 */
export function runPrimary(config: Config): void {
  let stopping = false;
  const fork = (): Worker => cluster.fork();
  for (let i = 0; i < config.PNEUMATIC_WORKERS; i++) fork();

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    console.error(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    setTimeout(fork, RESTART_DELAY_MS);
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    setTimeout(() => process.exit(1), config.SHUTDOWN_GRACE_MS + 2000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
