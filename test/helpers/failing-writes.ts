/**
 * Every write path of the API, tried while the database cannot write and again after it can:
 * sign-up, login, a send over HTTP and over the socket, read receipts over HTTP and over the
 * socket, and the change feed's other writes (an edit, a rename, a new conversation, a member
 * added). For the storage-failure suites of both dialects (issue 13, defect 1).
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { Api, createConversation, expectProblem, registerUsers, sendMessage, type TestUser } from './api-client.js';
import { scrapeLabelled } from './prometheus.js';
import { TestSocket } from './ws-client.js';

export interface Writers {
  url: string;
  alice: TestUser;
  bob: TestUser;
  /** A third user, not a member, for the refused and then accepted member addition. */
  carol: TestUser;
  conversationId: string;
  firstMessageId: string;
  aliceSocket: TestSocket;
  bobSocket: TestSocket;
  /** What was acknowledged before the failure: [seq, content]. */
  acknowledged: [number, string][];
}

/** Two users in a conversation, a socket each, and one message alice sent (seq 1) that bob has not read. */
export async function setUpWriters(url: string, wsUrl: string): Promise<Writers> {
  const [alice, bob, carol] = await registerUsers(url, 'alice', 'bob', 'carol');
  const conversation = await createConversation(alice, [bob]);
  const aliceSocket = await TestSocket.open(wsUrl, { token: alice.token });
  const bobSocket = await TestSocket.open(wsUrl, { token: bob.token });
  const first = await sendMessage(alice, conversation.id, 'before the failure');
  return { url, alice, bob, carol, conversationId: conversation.id, firstMessageId: first.message_id, aliceSocket, bobSocket, acknowledged: [[first.seq, first.content]] };
}

export interface Refused {
  httpMessageId: string;
  wsMessageId: string;
}

/**
 * Tries each write; each must be refused with 503 `unavailable` and a Retry-After (on the
 * socket: an error frame with `retry_after`), never a 500 and never an ack.
 */
export async function expectEveryWriteRefused(w: Writers): Promise<Refused> {
  const anonymous = new Api(w.url);
  const refusals = [
    ['sign-up', await anonymous.post('/users', { username: `carol_${randomUUID().slice(0, 8)}`, password: 'correct horse battery' })],
    ['login', await anonymous.post('/sessions', { username: w.alice.user.username, password: w.alice.password })],
  ] as const;
  const httpMessageId = randomUUID();
  const send = await w.alice.api.post('/messages', { message_id: httpMessageId, conversation_id: w.conversationId, content: 'refused over HTTP' });
  const read = await w.bob.api.post(`/conversations/${w.conversationId}/read`, { seq: 1 });
  const feedWrites = [
    ['edit', await w.alice.api.patch(`/messages/${w.firstMessageId}`, { content: 'edited while refused' })],
    ['rename', await w.alice.api.patch(`/conversations/${w.conversationId}`, { title: 'renamed while refused' })],
    ['new conversation', await w.alice.api.post('/conversations', { title: 'created while refused', member_ids: [w.bob.user.id] })],
    ['member added', await w.alice.api.post(`/conversations/${w.conversationId}/members`, { user_id: w.carol.user.id })],
  ] as const;
  for (const [what, response] of [...refusals, ['send over HTTP', send], ['read receipt over HTTP', read], ...feedWrites] as const) {
    try {
      expectProblem(response, 503, 'unavailable');
    } catch (error) {
      throw new Error(`${what}: ${(error as Error).message}`);
    }
    expect(Number(response.headers.get('retry-after')), `${what}: Retry-After`).toBeGreaterThan(0);
  }

  const wsMessageId = randomUUID();
  const wsSend = await w.aliceSocket.request(
    { type: 'message', message_id: wsMessageId, conversation_id: w.conversationId, content: 'refused over the socket' },
    (f) => f.ref === wsMessageId,
  );
  expect(wsSend).toEqual({ type: 'error', code: 'unavailable', detail: expect.any(String), ref: wsMessageId, retry_after: expect.any(Number) });
  const wsRead = await w.bobSocket.request({ type: 'read', conversation_id: w.conversationId, seq: 1 }, (f) => f.type === 'error');
  expect(wsRead).toEqual({ type: 'error', code: 'unavailable', detail: expect.any(String), ref: null, retry_after: expect.any(Number) });
  expect(w.aliceSocket.frames.some((f) => f.type === 'ack' && f.message_id === wsMessageId)).toBe(false);
  return { httpMessageId, wsMessageId };
}

/**
 * After recovery every write works: the refused sends, sent again with the same message_id,
 * are stored once each after what was acknowledged before, with no gap in seq.
 */
export async function expectEveryWriteWorks(w: Writers, refused: Refused): Promise<void> {
  const anonymous = new Api(w.url);
  expect((await anonymous.post('/users', { username: `dave_${randomUUID().slice(0, 8)}`, password: 'correct horse battery' })).status).toBe(201);
  expect((await anonymous.post('/sessions', { username: w.alice.user.username, password: w.alice.password })).status).toBe(201);
  const resent = await w.alice.api.post('/messages', { message_id: refused.httpMessageId, conversation_id: w.conversationId, content: 'refused over HTTP' });
  expect(resent.status).toBe(201);
  const ack = await w.aliceSocket.request(
    { type: 'message', message_id: refused.wsMessageId, conversation_id: w.conversationId, content: 'refused over the socket' },
    (f) => f.message_id === refused.wsMessageId || f.ref === refused.wsMessageId,
  );
  expect(ack).toMatchObject({ type: 'ack', message: { seq: 3 } });
  expect((await w.bob.api.post(`/conversations/${w.conversationId}/read`, { seq: 2 })).status).toBe(204);
  await w.bobSocket.request({ type: 'read', conversation_id: w.conversationId, seq: 3 }, (f) => f.type === 'read' && f.seq === 3);

  const history = await w.bob.api.get(`/conversations/${w.conversationId}/messages`);
  expect(history.body.messages.map((m: { seq: number; content: string }) => [m.seq, m.content])).toEqual([
    ...w.acknowledged,
    [2, 'refused over HTTP'],
    [3, 'refused over the socket'],
  ]);

  // The change feed's writes work again, and the refused ones left no hole in event_seq.
  expect((await w.alice.api.patch(`/messages/${w.firstMessageId}`, { content: 'edited after recovery' })).status).toBe(200);
  expect((await w.alice.api.patch(`/conversations/${w.conversationId}`, { title: 'renamed after recovery' })).status).toBe(200);
  expect((await w.alice.api.post('/conversations', { title: 'created after recovery', member_ids: [w.bob.user.id] })).status).toBe(201);
  expect((await w.alice.api.post(`/conversations/${w.conversationId}/members`, { user_id: w.carol.user.id })).status).toBe(201);
  const events = (await w.bob.api.get(`/conversations/${w.conversationId}/events?after=0`)).body as { events: { event_seq: number; type: string }[] };
  expect(events.events.map((e) => [e.event_seq, e.type])).toEqual([
    [1, 'conversation.created'],
    [2, 'message.created'],
    [3, 'message.created'],
    [4, 'message.created'],
    [5, 'message.edited'],
    [6, 'conversation.updated'],
    [7, 'member.added'],
  ]);
}

export function closeWriters(w: Writers | undefined): void {
  w?.aliceSocket.close();
  w?.bobSocket.close();
}

export interface Readiness {
  status: number;
  body: { status: string; database?: string; database_reason?: string; bus?: string };
}

export async function readiness(url: string): Promise<Readiness> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as Readiness['body'] };
}

/** Polls /readyz until it answers 200 (its probe write sees the recovery), or fails with the last answer. */
export async function waitUntilReady(url: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = await readiness(url);
  while (last.status !== 200 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    last = await readiness(url);
  }
  expect(last).toEqual({ status: 200, body: { status: 'ok', database: 'up', bus: 'up' } });
}

export interface LogLine {
  level: number;
  msg: string;
  component?: string;
  reason?: string;
}

/** The storage health tracker's lines in a server's JSON log. */
export function storageLogLines(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine)
    .filter((line) => line.component === 'storage');
}

/** pneumatic_storage_failures_total for one reason (0 before the first failure). */
export async function storageFailures(url: string, reason: string): Promise<number> {
  return (await scrapeLabelled(url, 'pneumatic_storage_failures_total')).get(`reason="${reason}"`) ?? 0;
}
