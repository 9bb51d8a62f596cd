/** The reconnecting connection over a scripted socket: what a failed connect leads to. */
import { describe, expect, it, vi } from 'vitest';
import { Connection, type ConnectionStateChange } from '../../src/session/connection.js';
import type { WebSocketLike } from '../../src/session/websocket.js';
import { useFakeTimers } from './fixtures.js';

/** A socket that never opens; the test fires its events. */
class ScriptedSocket implements WebSocketLike {
  readyState = 0;
  onopen: WebSocketLike['onopen'] = null;
  onmessage: WebSocketLike['onmessage'] = null;
  onclose: WebSocketLike['onclose'] = null;
  onerror: WebSocketLike['onerror'] = null;
  send(): void {}
  close(): void {}
}

function connect() {
  const sockets: ScriptedSocket[] = [];
  const connection = new Connection({
    url: 'ws://127.0.0.1:1/ws',
    token: () => 't',
    factory: () => {
      const socket = new ScriptedSocket();
      sockets.push(socket);
      return socket;
    },
    backoff: { initialDelayMs: 100, maxDelayMs: 100, jitter: 0 },
  });
  const states: ConnectionStateChange[] = [];
  connection.on('state', (change) => states.push(change));
  connection.start();
  return { connection, sockets, states };
}

describe('Connection', () => {
  useFakeTimers();

  it('retries after a refused connect that fires only an error event (Node 22 built-in WebSocket)', () => {
    const { connection, sockets, states } = connect();
    sockets[0]!.onerror?.({ type: 'error' });
    expect(states.at(-1)).toMatchObject({ state: 'reconnecting', attempt: 1, code: 1006 });
    vi.advanceTimersByTime(100);
    expect(sockets).toHaveLength(2);
    connection.stop();
  });

  it('counts an error followed by its close once', () => {
    const { connection, sockets, states } = connect();
    sockets[0]!.onerror?.({ type: 'error' });
    sockets[0]!.onclose?.({ code: 1006, reason: '' });
    expect(states.filter((s) => s.state === 'reconnecting')).toHaveLength(1);
    vi.advanceTimersByTime(100);
    expect(sockets).toHaveLength(2);
    connection.stop();
  });
});
