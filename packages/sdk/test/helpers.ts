/** Test helpers for the SDK suites: real clients against a real server, and polling with timeouts. */
import { randomUUID } from 'node:crypto';
import { PneumaticClient } from '../src/client.js';
import type { Message } from '../src/types.js';
import type { Session } from '../src/session/session.js';
import type { WebSocketFactory, WebSocketLike } from '../src/session/websocket.js';

/** Resolves once `check` returns true; fails with `what` after `timeoutMs`. */
export async function waitUntil(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let counter = 0;
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${++counter}_${randomUUID().slice(0, 6)}`.slice(0, 32);
}

/** A new account, logged in through the SDK. */
export async function registeredClient(baseUrl: string, prefix: string, options: Partial<ConstructorParameters<typeof PneumaticClient>[0]> = {}): Promise<PneumaticClient> {
  const client = new PneumaticClient({ baseUrl, ...options });
  await client.register(uniqueName(prefix), 'correct horse battery');
  return client;
}

/** Records every `message` event of a session for one conversation. */
export function collectMessages(session: Session, conversationId: string): Message[] {
  const received: Message[] = [];
  session.on('message', (m) => {
    if (m.conversation_id === conversationId) received.push(m);
  });
  return received;
}

/** Every stored message of a conversation, paging with `after`. */
export async function storedMessages(client: PneumaticClient, conversationId: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const page = await client.listMessages(conversationId, { after: all.at(-1)?.seq ?? 0, limit: 200 });
    all.push(...page.messages);
    if (!page.has_more) return all;
  }
}

/**
 * Wraps a socket factory so a test can intercept incoming frames (e.g. lose an ack, as a
 * network would). Returning true from `intercept` swallows the frame.
 */
export function interceptingFactory(real: WebSocketFactory, intercept: (frame: Record<string, unknown>, socket: WebSocketLike) => boolean): WebSocketFactory {
  return (url, token) => {
    const socket = real(url, token);
    const wrapper: WebSocketLike = {
      get readyState() {
        return socket.readyState;
      },
      onopen: null,
      onmessage: null,
      onclose: null,
      onerror: null,
      send: (data) => socket.send(data),
      close: (code, reason) => socket.close(code, reason),
    };
    socket.onopen = (event) => wrapper.onopen?.(event);
    socket.onmessage = (event) => {
      if (!intercept(JSON.parse(String(event.data)) as Record<string, unknown>, socket)) wrapper.onmessage?.(event);
    };
    socket.onclose = (event) => wrapper.onclose?.(event);
    socket.onerror = (event) => wrapper.onerror?.(event);
    return wrapper;
  };
}

/** Asserts a conversation's messages are exactly `contents`, once each, in order, with seqs 1..n. */
export function expectExactly(messages: Message[], contents: string[]): string | null {
  if (messages.length !== contents.length) return `expected ${contents.length} messages, got ${messages.length}`;
  for (let i = 0; i < contents.length; i++) {
    const m = messages[i]!;
    if (m.content !== contents[i]) return `position ${i}: expected "${contents[i]}", got "${m.content}"`;
  }
  const ids = new Set(messages.map((m) => m.message_id));
  if (ids.size !== messages.length) return `${messages.length - ids.size} duplicate message_ids`;
  for (let i = 1; i < messages.length; i++) {
    if (messages[i]!.seq !== messages[i - 1]!.seq + 1) return `seq ${messages[i]!.seq} follows ${messages[i - 1]!.seq}`;
  }
  return null;
}
