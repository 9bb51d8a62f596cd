/**
 * The load generator: a separate process driven by the runner with one JSON command per line
 * on stdin, answering one JSON line per command on stdout (logs go to stderr). It holds the
 * client WebSockets, sends open-loop at a target rate (timer-driven, never waiting for acks),
 * and measures ack latency at senders and delivery latency at every receiver.
 *
 * The same code drives Pneumatic and the raw ws server: both speak the same frames.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { closeHttp, httpLoad, populate } from './generator/http-load.js';
import { padContent, StepState, type Client, type Sent } from './generator/step-state.js';
import { mapBounded } from './lib/http.js';
import type { ConnectResult, ConversationSpec, GeneratorCommand, GeneratorRequest, GeneratorResponse, SenderSpec, StepResult } from './lib/protocol.js';
import { round } from './lib/stats.js';

const clients: Client[] = [];
let wsUrl = '';
let localAddresses: string[] = ['127.0.0.1'];
let expectedByConversation = new Map<string, number>();
let senders: SenderSpec[] = [];
let state = new StepState();
let lastFrameAt = 0;

function log(text: string): void {
  process.stderr.write(`[generator ${process.pid}] ${text}\n`);
}

function openSocket(client: Client, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const localAddress = localAddresses[client.index % localAddresses.length];
    const socket = new WebSocket(wsUrl, {
      headers: { authorization: `Bearer ${client.spec.token}` },
      perMessageDeflate: false,
      skipUTF8Validation: true,
      handshakeTimeout: timeoutMs,
      ...(localAddress ? { localAddress } : {}),
    });
    let settled = false;
    socket.on('open', () => {
      settled = true;
      client.socket = socket;
      resolve(null);
    });
    socket.on('message', (data: Buffer) => {
      lastFrameAt = performance.now();
      state.onFrame(client, data, lastFrameAt);
    });
    socket.on('error', (error) => {
      if (!settled) {
        settled = true;
        resolve(error.message);
      }
    });
    socket.on('unexpected-response', (_req, res) => {
      if (!settled) {
        settled = true;
        resolve(`upgrade refused with ${res.statusCode}`);
      }
      socket.terminate();
    });
    socket.on('close', (code) => {
      if (client.socket === socket) {
        client.socket = null;
        state.closes += 1;
        state.error(`socket closed with ${code}`);
      }
      if (!settled) {
        settled = true;
        resolve(`closed with ${code} before open`);
      }
    });
  });
}

async function connect(cmd: Extract<GeneratorCommand, { cmd: 'connect' }>): Promise<ConnectResult> {
  wsUrl = cmd.wsUrl;
  localAddresses = cmd.localAddresses.length > 0 ? cmd.localAddresses : ['127.0.0.1'];
  const added = cmd.clients.map((spec) => {
    const client: Client = { index: clients.length, spec, socket: null, lastSeq: new Map() };
    clients.push(client);
    return client;
  });
  const errors: string[] = [];
  const started = performance.now();
  const outcomes = await mapBounded(added, cmd.concurrency, async (client) => {
    const error = await openSocket(client, cmd.timeoutMs);
    if (error && errors.length < 5) errors.push(error);
    return error === null;
  });
  const opened = outcomes.filter(Boolean).length;
  return { requested: added.length, opened, failed: added.length - opened, elapsedMs: round(performance.now() - started), errors };
}

function setTopology(conversations: ConversationSpec[], senderSpecs: SenderSpec[]): { expected: Record<string, number> } {
  const connectionsPerUser = new Map<string, number>();
  for (const client of clients) connectionsPerUser.set(client.spec.userId, (connectionsPerUser.get(client.spec.userId) ?? 0) + 1);
  expectedByConversation = new Map(
    conversations.map((c) => [c.id, c.memberIds.reduce((sum, userId) => sum + (connectionsPerUser.get(userId) ?? 0), 0)]),
  );
  senders = senderSpecs;
  const sample = conversations[0];
  return { expected: sample ? { [sample.id]: expectedByConversation.get(sample.id) ?? 0 } : {} };
}

/** Reopens sockets that a previous step lost, so every step starts with the full population. */
async function reconnectMissing(): Promise<void> {
  const missing = clients.filter((c) => c.socket === null || c.socket.readyState !== WebSocket.OPEN);
  if (missing.length === 0) return;
  log(`reconnecting ${missing.length} sockets`);
  await mapBounded(missing, 64, (client) => openSocket(client, 10_000));
}

/** Waits until no frame has arrived for `quietMs` (bounded by `maxMs`): the previous step's backlog is gone. */
async function settle(quietMs: number, maxMs: number): Promise<void> {
  const deadline = performance.now() + maxMs;
  while (performance.now() < deadline && performance.now() - lastFrameAt < quietMs) await sleep(50);
}

async function step(cmd: Extract<GeneratorCommand, { cmd: 'step' }>): Promise<StepResult> {
  await reconnectMissing();
  await settle(200, 3000);
  state = new StepState();
  const s = state;
  const total = Math.max(1, Math.round((cmd.rate * cmd.durationMs) / 1000));
  const abortBacklog = Math.max(20, Math.ceil(total * 0.05));
  let sent = 0;
  let senderCursor = 0;
  let aborted: string | null = null;
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  let lastSendAt = started;

  const sendOne = (): void => {
    const sender = senders[senderCursor++ % senders.length];
    if (!sender) throw new Error('no senders: send a topology first');
    const client = clients[sender.client];
    const sentAt = performance.now();
    const messageId = randomUUID();
    const record: Sent = { sentAt, sender: sender.client, expected: expectedByConversation.get(sender.conversationId) ?? 0, received: 0, acked: false };
    s.inflight.set(messageId, record);
    s.order.push(record);
    s.expectedDeliveries += record.expected;
    sent += 1;
    const socket = client?.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      s.error('sender socket not open');
      return;
    }
    socket.send(
      JSON.stringify({ type: 'message', message_id: messageId, conversation_id: sender.conversationId, content: padContent(sentAt, cmd.contentBytes) }),
    );
  };

  /** Counts messages still undelivered or unacknowledged after a second: a server falling behind. */
  const oldPending = (now: number): number => {
    while (s.head < s.order.length) {
      const r = s.order[s.head]!;
      if (r.acked && r.received >= r.expected) s.head += 1;
      else break;
    }
    let count = 0;
    for (let i = s.head; i < s.order.length; i++) {
      const r = s.order[i]!;
      if (now - r.sentAt < 1000) break;
      if (!r.acked || r.received < r.expected) count += 1;
    }
    return count;
  };

  // The longest wait between two 1 ms timer ticks: a process descheduled (or a machine
  // stalled) for that long. The runner weighs it against the generator's CPU.
  let maxTickGapMs = 0;
  await new Promise<void>((resolve) => {
    let lastCheck = started;
    let lastTick = started;
    const tick = (): void => {
      const now = performance.now();
      maxTickGapMs = Math.max(maxTickGapMs, now - lastTick);
      lastTick = now;
      const due = Math.min(total, Math.floor(((now - started) * cmd.rate) / 1000) + 1);
      while (sent < due) sendOne();
      lastSendAt = performance.now();
      if (now - lastCheck >= 250) {
        lastCheck = now;
        if (s.errors > 0) aborted = 'errors';
        else if (oldPending(now) > abortBacklog) aborted = 'backlog: messages undelivered after 1 s';
      }
      if (sent >= total || aborted) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  const sendWindowMs = lastSendAt - started;

  // Drain: wait for the last deliveries and acks, bounded.
  const drainDeadline = performance.now() + (aborted ? Math.min(cmd.drainMs, 500) : cmd.drainMs);
  while (!s.complete && performance.now() < drainDeadline) await sleep(10);
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  // N sends at rate R span (N-1)/R: per-second figures are over the step's nominal length.
  const sendSeconds = Math.max(sendWindowMs, cmd.durationMs) / 1000;

  let missing = 0;
  for (const r of s.order) if (r.received < r.expected) missing += r.expected - r.received;
  const unacked = s.order.length - s.acked;
  if (unacked > 0 && s.errorSamples.length < 5) s.errorSamples.push(`${unacked} sends not acknowledged`);
  return {
    rate: cmd.rate,
    durationMs: cmd.durationMs,
    sendWindowMs: round(sendWindowMs),
    sent,
    acked: s.acked,
    expectedDeliveries: s.expectedDeliveries,
    delivered: s.delivered,
    missingDeliveries: missing,
    duplicates: s.duplicates,
    outOfOrder: s.outOfOrder,
    stale: s.stale,
    errors: s.errors,
    closes: s.closes,
    errorSamples: s.errorSamples,
    aborted,
    ...s.figures(),
    storedPerSecond: round(s.acked / sendSeconds, 1),
    deliveriesPerSecond: round(s.delivered / sendSeconds, 1),
    generatorCpu: round((cpu.user + cpu.system) / 1000 / elapsedMs, 3),
    maxTickGapMs: round(maxTickGapMs),
    openClients: clients.filter((c) => c.socket?.readyState === WebSocket.OPEN).length,
  };
}

async function closeAll(): Promise<{ closed: number }> {
  let closed = 0;
  for (const client of clients) {
    const socket = client.socket;
    client.socket = null;
    if (socket) {
      socket.terminate();
      closed += 1;
    }
  }
  clients.length = 0;
  closeHttp();
  return { closed };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function handle(command: GeneratorCommand): Promise<unknown> {
  switch (command.cmd) {
    case 'connect':
      return connect(command);
    case 'topology':
      return setTopology(command.conversations, command.senders);
    case 'step':
      return step(command);
    case 'http-load':
      return httpLoad(command);
    case 'populate':
      return populate(command);
    case 'status':
      return { clients: clients.length, open: clients.filter((c) => c.socket?.readyState === WebSocket.OPEN).length, rss: process.memoryUsage().rss };
    case 'close':
      return closeAll();
  }
}

function reply(response: GeneratorResponse): void {
  process.stdout.write(`${JSON.stringify(response)}\n`);
}

// Commands run one at a time, in order: each answer carries the id of its command.
let queue: Promise<void> = Promise.resolve();
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() === '') return;
  queue = queue.then(async () => {
    let parsed: GeneratorRequest;
    try {
      parsed = JSON.parse(line) as GeneratorRequest;
    } catch {
      log(`unparsable command: ${line.slice(0, 100)}`);
      return;
    }
    try {
      reply({ id: parsed.id, ok: true, result: await handle(parsed) });
    } catch (error) {
      reply({ id: parsed.id, ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  });
});
lines.on('close', () => {
  void closeAll().then(() => process.exit(0));
});
