import { describe, expect, it, vi } from 'vitest';
import { Emitter } from '../../src/emitter.js';
import type { OutboxEntry } from '../../src/outbox-store.js';
import type { Connection, ConnectionState, ConnectionStateChange } from '../../src/session/connection.js';
import { SocketTransport } from '../../src/session/socket-transport.js';
import type { ClientFrame, ServerFrame } from '../../src/types.js';
import { flushMicrotasks, storedFrom, track, useFakeTimers } from './fixtures.js';

/** The part of Connection the transport uses: state, open/state events, and send. */
class FakeConnection extends Emitter<{ state: ConnectionStateChange; open: undefined; frame: ServerFrame }> {
  state: ConnectionState = 'open';
  readonly sent: ClientFrame[] = [];

  get isOpen(): boolean {
    return this.state === 'open';
  }

  send(frame: ClientFrame): boolean {
    if (!this.isOpen) return false;
    this.sent.push(frame);
    return true;
  }

  move(state: ConnectionState): void {
    this.state = state;
    this.emit('state', { state });
    if (state === 'open') this.emit('open', undefined);
  }
}

const entry: OutboxEntry = { message_id: 'm1', conversation_id: 'c', content: 'hi', user_id: 'me', created_at: 1, deadline_at: null };

function setup(ackTimeoutMs = 1000) {
  const connection = new FakeConnection();
  const transport = new SocketTransport(connection as unknown as Connection, ackTimeoutMs);
  return { connection, transport };
}

describe('SocketTransport', () => {
  useFakeTimers();

  it('sends a message frame and settles on the ack naming its message_id; a duplicate ack is not its', async () => {
    const { connection, transport } = setup();
    const sent = track(transport.deliver(entry));
    await flushMicrotasks();
    expect(connection.sent).toEqual([{ type: 'message', message_id: 'm1', conversation_id: 'c', content: 'hi' }]);
    expect(transport.handleFrame({ type: 'ack', message_id: 'other', message: storedFrom({ ...entry, message_id: 'other' }, 1) })).toBe(false);
    expect(transport.handleFrame({ type: 'ack', message_id: 'm1', message: storedFrom(entry, 3) })).toBe(true);
    await flushMicrotasks();
    expect(sent.message?.seq).toBe(3);
    expect(transport.handleFrame({ type: 'ack', message_id: 'm1', message: storedFrom(entry, 3) })).toBe(false);
  });

  it('rejects with the code of an error frame whose ref is the message_id', async () => {
    const { transport } = setup();
    const sent = track(transport.deliver(entry));
    await flushMicrotasks();
    expect(transport.handleFrame({ type: 'error', code: 'not_member', detail: 'no', ref: 'm1' })).toBe(true);
    await flushMicrotasks();
    expect(sent.error?.code).toBe('not_member');
  });

  it('carries retry_after of an error frame as retryAfterMs, so the outbox waits as long as the server asks', async () => {
    const { transport } = setup();
    const sent = track(transport.deliver(entry));
    await flushMicrotasks();
    expect(transport.handleFrame({ type: 'error', code: 'unavailable', detail: 'disk full', ref: 'm1', retry_after: 5 })).toBe(true);
    await flushMicrotasks();
    expect(sent.error).toMatchObject({ code: 'unavailable', retryAfterMs: 5000 });
  });

  it('a missing ack is a retryable network error, to be resent at once', async () => {
    const { transport } = setup(1000);
    const sent = track(transport.deliver(entry));
    await vi.advanceTimersByTimeAsync(999);
    expect(sent.error).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(sent.error).toMatchObject({ code: 'network', retryAfterMs: 0 });
  });

  it('a resend supersedes the earlier attempt; the ack settles the resend', async () => {
    const { transport } = setup();
    const first = track(transport.deliver(entry));
    await flushMicrotasks();
    const second = track(transport.deliver(entry));
    await flushMicrotasks();
    expect(first.error?.code).toBe('network');
    transport.handleFrame({ type: 'ack', message_id: 'm1', message: storedFrom(entry, 1) });
    await flushMicrotasks();
    expect(second.message?.seq).toBe(1);
  });

  it('fails sends in flight when the socket drops, and waits for it to reopen before sending', async () => {
    const { connection, transport } = setup();
    const inFlight = track(transport.deliver(entry));
    await flushMicrotasks();
    connection.move('reconnecting');
    await flushMicrotasks();
    expect(inFlight.error?.code).toBe('network');

    const waiting = track(transport.deliver(entry));
    await flushMicrotasks();
    expect(connection.sent).toHaveLength(1);
    connection.move('open');
    await flushMicrotasks();
    expect(connection.sent).toHaveLength(2);
    expect(waiting.error).toBeUndefined();
  });

  it('answers closed once the connection or the transport is closed for good', async () => {
    const { connection, transport } = setup();
    connection.move('reconnecting');
    const waiting = track(transport.deliver(entry));
    await flushMicrotasks();
    connection.move('closed');
    await flushMicrotasks();
    expect(waiting.error?.code).toBe('closed');

    const other = setup();
    other.transport.dispose();
    await expect(other.transport.deliver(entry)).rejects.toMatchObject({ code: 'closed' });
  });
});
