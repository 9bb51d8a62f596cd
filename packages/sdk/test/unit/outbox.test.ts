import { describe, expect, it, vi } from 'vitest';
import { PneumaticError } from '../../src/errors.js';
import { MemoryOutboxStore, type OutboxEntry } from '../../src/outbox-store.js';
import { Outbox, type OutboxTransport } from '../../src/outbox.js';
import type { Message } from '../../src/types.js';
import { flushMicrotasks, storedFrom, track, useFakeTimers } from './fixtures.js';

/** A transport whose every delivery waits until the test answers it. */
class ScriptedTransport implements OutboxTransport {
  readonly calls: Array<{ entry: OutboxEntry; ack: (seq: number) => void; fail: (error: unknown) => void }> = [];

  deliver(entry: OutboxEntry): Promise<Message> {
    return new Promise((resolve, reject) => {
      this.calls.push({ entry, ack: (seq) => resolve(storedFrom(entry, seq)), fail: reject });
    });
  }

  /** The message_ids delivered so far, in order. */
  ids(): string[] {
    return this.calls.map((c) => c.entry.message_id);
  }

  last() {
    const call = this.calls.at(-1);
    if (!call) throw new Error('nothing was delivered');
    return call;
  }
}

function setup(options: { defaultTimeoutMs?: number } = {}) {
  const store = new MemoryOutboxStore();
  const outbox = new Outbox({ store, backoff: { initialDelayMs: 1000, maxDelayMs: 8000, jitter: 0 }, ...options });
  const events: string[] = [];
  outbox.on('sent', ({ entry, message }) => events.push(`sent ${entry.message_id} seq=${message.seq}`));
  outbox.on('failed', ({ entry, error }) => events.push(`failed ${entry.message_id} ${error.code}`));
  outbox.on('retry', ({ entry, error, delayMs }) => events.push(`retry ${entry.message_id} ${error.code} ${delayMs}`));
  return { store, outbox, events };
}

describe('Outbox', () => {
  useFakeTimers();

  it('refuses a send before start() (no user to send as)', async () => {
    const { outbox, store } = setup();
    await expect(outbox.send('c', 'hi')).rejects.toMatchObject({ code: 'closed' });
    expect(store.load()).toEqual([]);
  });

  it('stores the entry before delivering it and removes it once acknowledged', async () => {
    const { outbox, store, events } = setup();
    const transport = new ScriptedTransport();
    await outbox.start('me', transport);
    const sent = track(outbox.send('c', 'hello', { messageId: 'm1' }));
    await flushMicrotasks();
    expect(store.load()).toEqual([expect.objectContaining({ message_id: 'm1', conversation_id: 'c', content: 'hello', user_id: 'me', deadline_at: null })]);
    expect(outbox.pending().map((e) => e.message_id)).toEqual(['m1']);

    transport.last().ack(7);
    await flushMicrotasks();
    expect(sent.message).toMatchObject({ message_id: 'm1', seq: 7 });
    expect(store.load()).toEqual([]);
    expect(outbox.pending()).toEqual([]);
    expect(events).toEqual(['sent m1 seq=7']);
  });

  it('resends the same message_id after a retryable failure, waiting the backoff delay', async () => {
    const { outbox, events } = setup();
    const transport = new ScriptedTransport();
    await outbox.start('me', transport);
    const sent = track(outbox.send('c', 'hello', { messageId: 'm1' }));
    await flushMicrotasks();
    transport.last().fail(new PneumaticError('unavailable', 'db down', 503));
    await flushMicrotasks();
    expect(events).toEqual(['retry m1 unavailable 1000']);

    await vi.advanceTimersByTimeAsync(999);
    expect(transport.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(transport.ids()).toEqual(['m1', 'm1']);

    transport.last().fail(new Error('socket hang up'));
    await flushMicrotasks();
    expect(events.at(-1)).toBe('retry m1 network 2000');
    await vi.advanceTimersByTimeAsync(2000);
    transport.last().ack(1);
    await flushMicrotasks();
    expect(transport.ids()).toEqual(['m1', 'm1', 'm1']);
    expect(sent.message?.seq).toBe(1);
  });

  it("waits the server's Retry-After instead of the backoff delay", async () => {
    const { outbox, events } = setup();
    const transport = new ScriptedTransport();
    await outbox.start('me', transport);
    void outbox.send('c', 'hello', { messageId: 'm1' });
    await flushMicrotasks();
    transport.last().fail(new PneumaticError('rate_limited', 'slow down', 429, 3000));
    await flushMicrotasks();
    expect(events).toEqual(['retry m1 rate_limited 3000']);
    await vi.advanceTimersByTimeAsync(2999);
    expect(transport.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(transport.calls).toHaveLength(2);
  });

  it('abandons a send the server refuses, and moves on to the next one of the conversation', async () => {
    const { outbox, store, events } = setup();
    const transport = new ScriptedTransport();
    await outbox.start('me', transport);
    const first = track(outbox.send('c', 'one', { messageId: 'm1' }));
    const second = track(outbox.send('c', 'two', { messageId: 'm2' }));
    await flushMicrotasks();
    transport.last().fail(new PneumaticError('not_member', 'no', 403));
    await flushMicrotasks();
    expect(first.error?.code).toBe('not_member');
    expect(events).toEqual(['failed m1 not_member']);
    expect(store.load().map((e) => e.message_id)).toEqual(['m2']);
    expect(transport.ids()).toEqual(['m1', 'm2']);
    transport.last().ack(1);
    await flushMicrotasks();
    expect(second.message?.message_id).toBe('m2');
  });

  it('keeps one send in flight per conversation, and conversations independent', async () => {
    const { outbox } = setup();
    const transport = new ScriptedTransport();
    await outbox.start('me', transport);
    const a1 = track(outbox.send('a', 'a1', { messageId: 'a1' }));
    const a2 = track(outbox.send('a', 'a2', { messageId: 'a2' }));
    void outbox.send('b', 'b1', { messageId: 'b1' });
    await flushMicrotasks();
    expect(transport.ids()).toEqual(['a1', 'b1']);

    transport.calls[0]!.ack(1);
    await flushMicrotasks();
    expect(a1.message?.seq).toBe(1);
    expect(a2.message).toBeUndefined();
    expect(transport.ids()).toEqual(['a1', 'b1', 'a2']);
    expect(outbox.pending().map((e) => e.message_id)).toEqual(['a2', 'b1']);
  });

  it('fails a send with deadline_exceeded when no ack comes by its deadline, even while delivery hangs', async () => {
    const { outbox, store, events } = setup();
    const transport = new ScriptedTransport();
    await outbox.start('me', transport);
    const sent = track(outbox.send('c', 'hello', { messageId: 'm1', timeoutMs: 1500 }));
    await flushMicrotasks();
    expect(store.load()[0]?.deadline_at).toBe(Date.now() + 1500);
    await vi.advanceTimersByTimeAsync(1499);
    expect(sent.error).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(sent.error?.code).toBe('deadline_exceeded');
    expect(events).toEqual(['failed m1 deadline_exceeded']);
    expect(store.load()).toEqual([]);
    // A late ack changes nothing.
    transport.last().ack(1);
    await flushMicrotasks();
    expect(events).toEqual(['failed m1 deadline_exceeded']);
  });

  it('does not resend once the deadline passed during a retry wait; the default timeout applies', async () => {
    const { outbox, events } = setup({ defaultTimeoutMs: 800 });
    const transport = new ScriptedTransport();
    await outbox.start('me', transport);
    const sent = track(outbox.send('c', 'hello', { messageId: 'm1' }));
    await flushMicrotasks();
    transport.last().fail(new PneumaticError('unavailable', 'db down', 503));
    await vi.advanceTimersByTimeAsync(1000);
    expect(transport.calls).toHaveLength(1);
    expect(sent.error?.code).toBe('deadline_exceeded');
    expect(events).toEqual(['retry m1 unavailable 1000', 'failed m1 deadline_exceeded']);
  });

  it('an explicit deadline wins over timeoutMs', async () => {
    const { outbox, store } = setup();
    await outbox.start('me', new ScriptedTransport());
    const deadline = new Date(Date.now() + 60_000);
    void outbox.send('c', 'x', { messageId: 'm1', timeoutMs: 10, deadline });
    await flushMicrotasks();
    expect(store.load()[0]?.deadline_at).toBe(deadline.getTime());
  });

  it("keeps a send whose transport closed and resends it at once, same id, on the next transport", async () => {
    const { outbox, store } = setup();
    const socket = new ScriptedTransport();
    await outbox.start('me', socket);
    const sent = track(outbox.send('c', 'hello', { messageId: 'm1' }));
    await flushMicrotasks();
    socket.last().fail(new PneumaticError('closed', 'session closed'));
    await flushMicrotasks();
    expect(sent.error).toBeUndefined();
    expect(store.load().map((e) => e.message_id)).toEqual(['m1']);

    const http = new ScriptedTransport();
    outbox.setTransport(http);
    await flushMicrotasks();
    expect(http.ids()).toEqual(['m1']);
    http.last().ack(4);
    await flushMicrotasks();
    expect(sent.message?.seq).toBe(4);
  });

  it('a new transport cuts a retry wait short', async () => {
    const { outbox } = setup();
    const socket = new ScriptedTransport();
    await outbox.start('me', socket);
    void outbox.send('c', 'hello', { messageId: 'm1' });
    await flushMicrotasks();
    socket.last().fail(new PneumaticError('network', 'lost'));
    await flushMicrotasks();
    const next = new ScriptedTransport();
    outbox.setTransport(next);
    await flushMicrotasks();
    expect(next.ids()).toEqual(['m1']);
    expect(socket.calls).toHaveLength(1);
  });

  it('stop() rejects waiting sends with closed but keeps them stored; start() resends them and reports sent', async () => {
    const { outbox, store, events } = setup();
    const first = new ScriptedTransport();
    await outbox.start('me', first);
    const sent = track(outbox.send('c', 'hello', { messageId: 'm1' }));
    await flushMicrotasks();
    outbox.stop();
    // As the socket transport does when its session ends: the delivery in flight settles as closed.
    first.last().fail(new PneumaticError('closed', 'session closed'));
    await flushMicrotasks();
    expect(sent.error?.code).toBe('closed');
    expect(outbox.pending()).toEqual([]);
    expect(store.load().map((e) => e.message_id)).toEqual(['m1']);

    const second = new ScriptedTransport();
    await outbox.start('me', second);
    await flushMicrotasks();
    expect(second.ids()).toEqual(['m1']);
    second.last().ack(1);
    await flushMicrotasks();
    expect(events).toEqual(['sent m1 seq=1']);
    expect(store.load()).toEqual([]);
  });

  it("restores only the starting user's entries, oldest first per conversation, without duplicating pending ones", async () => {
    const store = new MemoryOutboxStore();
    const entry = (message_id: string, user_id: string, conversation_id = 'c'): OutboxEntry => ({
      message_id, conversation_id, content: message_id, user_id, created_at: 1, deadline_at: null,
    });
    store.save(entry('m1', 'me'));
    store.save(entry('x1', 'someone-else'));
    store.save(entry('m2', 'me'));
    store.save(entry('m3', 'me', 'd'));
    const outbox = new Outbox({ store });
    const transport = new ScriptedTransport();
    await outbox.start('me', transport);
    await outbox.start('me', transport);
    await flushMicrotasks();
    expect(outbox.pending().map((e) => e.message_id)).toEqual(['m1', 'm2', 'm3']);
    expect(transport.ids()).toEqual(['m1', 'm3']);
    expect(store.load().map((e) => e.message_id)).toContain('x1');
  });
});
