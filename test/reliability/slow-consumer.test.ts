/**
 * A client that stops reading (its TCP socket paused, so the kernel buffers fill) while 8,000
 * messages are sent to its conversations is closed with 4008 once its send queue passes
 * WS_SEND_QUEUE_BYTES; no socket's queue ever holds more than that, and a normal client's delivery
 * latency stays what it is under the same load.
 *
 * The bound is asserted on the server's own account of its send queues (/metrics), not on RSS: RSS
 * also moves with garbage, the allocator and the database cache, by tens of MiB from run to run and
 * from one Node line to the next, so it cannot tell a bounded queue from an unbounded one. RSS is
 * still printed; memory budgets live in `npm run bench`.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { createConversation, registerUser, type TestUser } from '../helpers/api-client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { describeFigures, mib, processFigures, scrape, type ProcessFigures } from '../helpers/prometheus.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { TestSocket } from '../helpers/ws-client.js';

const FLOOD = 8_000;
const SENDERS = 4;
const WINDOW = 32;
const CONTENT = 'x'.repeat(4000);
const QUEUE_BYTES = 1024 * 1024;

/** Sends `count` messages into `conversationId` over one socket, `WINDOW` unacknowledged at a time. */
async function flood(wsUrl: string, token: string, conversationId: string, count: number): Promise<number> {
  const ws = await new Promise<WebSocket>((resolve, reject) => {
    const socket = new WebSocket(`${wsUrl}/ws`, { headers: { authorization: `Bearer ${token}` } });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
  let sent = 0;
  let acked = 0;
  let errors = 0;
  await new Promise<void>((resolve) => {
    const pump = () => {
      while (sent - acked - errors < WINDOW && sent < count) {
        sent++;
        ws.send(JSON.stringify({ type: 'message', message_id: randomUUID(), conversation_id: conversationId, content: CONTENT }));
      }
    };
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { type: string };
      if (frame.type === 'ack') acked++;
      else if (frame.type === 'error') errors++;
      else return;
      if (acked + errors === count) resolve();
      else pump();
    });
    pump();
  });
  ws.close();
  return errors;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

describe('a client that stops reading', () => {
  let database: TestDatabase | undefined;
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await database?.drop();
  });

  it(`is closed with 4008 past WS_SEND_QUEUE_BYTES during a flood of ${FLOOD} messages; no queue outgrows the bound and a normal client is unaffected`, async () => {
    database = await createTestDatabase('sqlite');
    server = await spawnServer({ DATABASE_URL: database.url, RATE_LIMITS: 'off', WS_SEND_QUEUE_BYTES: String(QUEUE_BYTES), LOG_LEVEL: 'warn' });
    const slow = await registerUser(server.url, 'slow');
    const normal = await registerUser(server.url, 'normal');
    const pinger = await registerUser(server.url, 'pinger');
    const senders: TestUser[] = [];
    for (let i = 0; i < SENDERS; i++) senders.push(await registerUser(server.url, 'flooder'));
    // The slow client is in two flooded conversations; the normal client in neither.
    const floodA = await createConversation(senders[0]!, [slow, senders[1]!]);
    const floodB = await createConversation(senders[2]!, [slow, senders[3]!]);
    const quiet = await createConversation(pinger, [normal]);

    const slowSocket = await TestSocket.open(server.wsUrl, { token: slow.token });
    const normalSocket = await TestSocket.open(server.wsUrl, { token: normal.token });
    const pingerSocket = await TestSocket.open(server.wsUrl, { token: pinger.token });

    const probe = async () => {
      const id = randomUUID();
      const started = performance.now();
      pingerSocket.send({ type: 'message', message_id: id, conversation_id: quiet.id, content: 'probe' });
      await normalSocket.waitFor((f) => f.type === 'message' && f.message.message_id === id, 30_000);
      return performance.now() - started;
    };
    const probeLoop = (until: () => boolean, into: number[]) =>
      (async () => {
        while (!until()) {
          into.push(await probe());
          await new Promise((r) => setTimeout(r, 100));
        }
      })();

    // Baseline: the normal client's latency on the idle server, compared within this run.
    const idle: number[] = [];
    for (let i = 0; i < 20; i++) idle.push(await probe());
    const before = await processFigures(server.url);

    // Stop reading: the kernel buffers fill, then the server's own send queue.
    (slowSocket.ws as unknown as { _socket: Socket })._socket.pause();
    let slowDecidedAt = 0;
    const watchLog = setInterval(() => {
      if (!slowDecidedAt && server!.output().includes('closing slow consumer')) {
        slowDecidedAt = Date.now();
        // Read again, so the close frame queued behind the backlog arrives before the server cuts the socket.
        (slowSocket.ws as unknown as { _socket: Socket })._socket.resume();
      }
    }, 20);

    let flooding = true;
    let peak: ProcessFigures = before;
    const peakLoop = (async () => {
      while (flooding) {
        const now = await processFigures(server!.url);
        if (now.rssBytes > peak.rssBytes) peak = now;
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    const during: number[] = [];
    const probes = probeLoop(() => !flooding, during);
    const floodStarted = Date.now();
    const perSender = FLOOD / SENDERS;
    const errors = await Promise.all(senders.map((s, i) => flood(server!.wsUrl, s.token, i < 2 ? floodA.id : floodB.id, perSender)));
    const floodMs = Date.now() - floodStarted;
    flooding = false;
    await Promise.all([probes, peakLoop]);
    clearInterval(watchLog);
    const after = await processFigures(server.url);
    const queues = await scrape(server.url);
    const peakQueue = queues.get('pneumatic_ws_send_queue_peak_bytes') ?? Number.NaN;
    const slowClosed = queues.get('pneumatic_ws_slow_consumers_closed_total') ?? Number.NaN;

    const closed = await slowSocket.waitForClose(10_000);
    const received = slowSocket.frames.filter((f) => f.type === 'message').length;
    const stat = (values: number[]) => `p50 ${percentile(values, 50).toFixed(1)} ms, p95 ${percentile(values, 95).toFixed(1)} ms, max ${Math.max(...values).toFixed(1)} ms (n=${values.length})`;
    console.log(
      `[slow-consumer] ${FLOOD} messages of ${CONTENT.length} chars in ${floodMs} ms; slow client closed with ${closed.code} "${closed.reason}" after receiving ${received} messages` +
        ` (server decided ${slowDecidedAt ? slowDecidedAt - floodStarted : -1} ms into the flood)\n` +
        `  server before: ${describeFigures(before)}\n  server peak:   ${describeFigures(peak)}\n  server after:  ${describeFigures(after)}\n` +
        `  largest send queue ${mib(peakQueue)} (bound ${mib(QUEUE_BYTES)}); slow consumers closed ${slowClosed}\n` +
        `  rss growth ${mib(peak.rssBytes - before.rssBytes)} (flood to the slow client alone: ${mib(FLOOD * (CONTENT.length + 250))})\n` +
        `  normal client latency idle:         ${stat(idle)}\n  normal client latency during flood: ${stat(during)}`,
    );

    expect(errors.reduce((a, b) => a + b, 0)).toBe(0);
    expect(closed.code).toBe(4008);
    expect(received).toBeLessThan(FLOOD);
    // Dropped early in the flood, not after it was all queued.
    expect(received).toBeLessThan(FLOOD / 2);
    // Bounded: the slow client's share of the flood (~32 MiB) never piled up in the server. No
    // socket ever had more than WS_SEND_QUEUE_BYTES waiting, and exactly one was dropped for it.
    expect(peakQueue).toBeGreaterThan(QUEUE_BYTES / 2);
    expect(peakQueue).toBeLessThanOrEqual(QUEUE_BYTES);
    expect(slowClosed).toBe(1);
    expect(after.connections).toBe(before.connections - 1);
    // The normal client got every probe, promptly, all through the flood.
    expect(during.length).toBeGreaterThanOrEqual(5);
    expect(percentile(during, 50)).toBeLessThan(Math.max(20 * percentile(idle, 50), 500));
    normalSocket.close();
    pingerSocket.close();
  }, 180_000);
});
