/**
 * A loopback TCP proxy spreading connections over several servers in turn: connection 1 to the
 * first, 2 to the second, and so on. It does not look inside the bytes, so every HTTP request
 * on a connection (keep-alive) and every WebSocket reaches the process its connection landed on.
 */
import { startProxyCore, type ProxyTarget } from './proxy-core.js';

export interface RoundRobinProxy {
  port: number;
  close(): Promise<void>;
}

export async function startRoundRobinProxy(targets: readonly ProxyTarget[]): Promise<RoundRobinProxy> {
  let next = 0;
  const proxy = await startProxyCore({ target: () => targets[next++ % targets.length]! });
  return { port: proxy.port, close: proxy.close };
}
