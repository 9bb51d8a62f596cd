/** Small builders for SDK unit tests: wire objects with only the fields a case cares about set. */
import { afterEach, beforeEach, vi } from 'vitest';
import type { PneumaticError } from '../../src/errors.js';
import type { OutboxEntry } from '../../src/outbox-store.js';
import type { Message } from '../../src/types.js';

/** A stored message; message_id defaults to one derived from conversation and seq. */
export function message(conversationId: string, seq: number, overrides: Partial<Message> = {}): Message {
  return {
    message_id: `${conversationId}-${seq}`,
    conversation_id: conversationId,
    sender_id: 'other',
    content: `message ${seq}`,
    seq,
    created_at: new Date(1_700_000_000_000 + seq * 1000).toISOString(),
    edited_at: null,
    deleted: false,
    version: overrides.version ?? seq,
    reply_to_id: null,
    thread_root_id: null,
    thread: null,
    reactions: [],
    mentions: [],
    mentions_all: false,
    attachments: [],
    ...overrides,
  };
}

/** The message the server would store for an outbox entry, at `seq`. */
export function storedFrom(entry: OutboxEntry, seq: number): Message {
  return message(entry.conversation_id, seq, { message_id: entry.message_id, sender_id: entry.user_id, content: entry.content });
}

/** Lets pending promise callbacks run (the outbox chains a few awaits per step). */
export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

/** Starts a send and records how it settles, without awaiting it. */
export function track(promise: Promise<Message>): { message?: Message; error?: PneumaticError } {
  const outcome: { message?: Message; error?: PneumaticError } = {};
  promise.then(
    (message) => (outcome.message = message),
    (error: PneumaticError) => (outcome.error = error),
  );
  return outcome;
}

/** Fake timers for every test of the enclosing describe block. */
export function useFakeTimers(): void {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}
