/**
 * A loopback TCP proxy that a test can cut and restore, to make a database "go down" for one
 * server without touching the shared database other suites use.
 */
import { startProxyCore } from './proxy-core.js';

export interface TcpProxy {
  port: number;
  /** Drops every open connection and refuses new ones until `restore`. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let up = true;
  const proxy = await startProxyCore({ target: () => (up ? { host: targetHost, port: targetPort } : null) });
  return {
    port: proxy.port,
    cut: () => {
      up = false;
      proxy.dropAll();
    },
    restore: () => {
      up = true;
    },
    close: async () => {
      up = false;
      await proxy.close();
    },
  };
}
