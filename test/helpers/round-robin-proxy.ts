/**
 * A loopback TCP proxy spreading connections over several servers in turn: connection 1 to the
 * first, 2 to the second, and so on. It does not look inside the bytes, so every HTTP request
 * on a connection (keep-alive) and every WebSocket reaches the process its connection landed on.
 */
import { createConnection, createServer, type Socket } from 'node:net';

export interface RoundRobinProxy {
  port: number;
  close(): Promise<void>;
}

export async function startRoundRobinProxy(targets: readonly { host: string; port: number }[]): Promise<RoundRobinProxy> {
  const sockets = new Set<Socket>();
  let next = 0;
  const server = createServer((client) => {
    const target = targets[next++ % targets.length]!;
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
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('proxy has no port');
  return {
    port: address.port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
