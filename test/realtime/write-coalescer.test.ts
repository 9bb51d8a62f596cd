import { once } from 'node:events';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coalesceWrites } from '../../src/realtime/write-coalescer.js';

/** One real TCP connection on loopback: `client` writes, `chunks` is what each read on the other end got. */
async function tcpPair(): Promise<{ server: Server; client: Socket; peer: Socket; chunks: string[] }> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
  await once(client, 'connect');
  const [peer] = await accepted;
  const chunks: string[] = [];
  peer.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  return { server, client, peer, chunks };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

async function received(chunks: string[], bytes: number): Promise<void> {
  for (let i = 0; i < 200 && chunks.join('').length < bytes; i++) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('coalesceWrites', () => {
  let pair: Awaited<ReturnType<typeof tcpPair>>;
  beforeEach(async () => {
    pair = await tcpPair();
  });
  afterEach(async () => {
    pair.client.destroy();
    pair.peer.destroy();
    pair.server.close();
    await once(pair.server, 'close');
  });

  it('holds the writes of one turn, promise reactions included, and sends them in one write', async () => {
    const { client, chunks } = pair;
    // Inside a promise reaction, as a delivery and its ack are: the flush must wait for the
    // reactions queued after it.
    const during = await Promise.resolve().then(() => {
      coalesceWrites(client);
      client.write('delivery;');
      return Promise.resolve().then(() => {
        coalesceWrites(client);
        client.write('ack;');
        return { corked: client.writableCorked, buffered: client.writableLength };
      });
    });
    expect(during).toEqual({ corked: 1, buffered: 'delivery;ack;'.length });
    await nextTurn();
    expect(client.writableCorked).toBe(0);
    await received(chunks, 'delivery;ack;'.length);
    expect(chunks).toEqual(['delivery;ack;']);
  });

  it('writes normally again once the turn is over', async () => {
    const { client, chunks } = pair;
    coalesceWrites(client);
    client.write('first;');
    await nextTurn();
    client.write('second;');
    expect(client.writableCorked).toBe(0);
    await received(chunks, 'first;second;'.length);
    expect(chunks.join('')).toBe('first;second;');
  });

  it('leaves a socket destroyed before the flush alone', async () => {
    const { client } = pair;
    coalesceWrites(client);
    client.write('lost;');
    client.destroy();
    await nextTurn();
    expect(client.destroyed).toBe(true);
  });
});
