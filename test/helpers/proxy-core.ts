/**
 * The plumbing the test proxies share: a loopback TCP listener on a free port that opens an
 * upstream connection per client, pipes the bytes both ways, drops both sides when either
 * ends or fails, and can drop every open connection at once. What differs between proxies
 * (where a connection goes, whether it is refused, what happens to the replies) is a hook.
 */
import { createConnection, createServer, type Socket } from 'node:net';

export interface ProxyTarget {
  host: string;
  port: number;
}

export interface ProxyHooks {
  /** Where a new client connection goes, or null to refuse it (its socket is destroyed). */
  target(): ProxyTarget | null;
  /**
   * Forwards upstream → client. Unset: the bytes pass unchanged (a pipe). A hook that reads
   * the stream itself writes to `client`; errors and closes are already handled.
   */
  forwardReplies?(upstream: Socket, client: Socket): void;
}

export interface ProxyCore {
  port: number;
  /** Destroys every open connection; new ones are still accepted (subject to `target`). */
  dropAll(): void;
  /** Destroys every open connection and stops listening. */
  close(): Promise<void>;
}

export async function startProxyCore(hooks: ProxyHooks): Promise<ProxyCore> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const target = hooks.target();
    if (!target) {
      client.destroy();
      return;
    }
    const upstream = createConnection(target);
    sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    if (hooks.forwardReplies) hooks.forwardReplies(upstream, client);
    else upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('proxy has no port');
  const dropAll = () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };
  return {
    port: address.port,
    dropAll,
    close: async () => {
      dropAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
