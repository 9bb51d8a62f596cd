/** The fake server's sockets (fake-feed-server.ts): in-memory, with delivery the test controls. */
import type { WebSocketLike } from '../../src/session/websocket.js';
import type { ServerFrame } from '../../src/types.js';

/** A socket whose frames arrive in order, each in a task of its own, as over a real network. */
export class FakeSocket implements WebSocketLike {
  readyState = 0;
  onopen: WebSocketLike['onopen'] = null;
  onmessage: WebSocketLike['onmessage'] = null;
  onclose: WebSocketLike['onclose'] = null;
  onerror: WebSocketLike['onerror'] = null;

  constructor(private readonly registry: Set<FakeSocket>) {}

  open(): void {
    if (this.readyState !== 0) return;
    this.readyState = 1;
    this.registry.add(this);
    this.onopen?.({});
  }

  fail(): void {
    this.readyState = 3;
    this.onerror?.({});
    this.onclose?.({ code: 1006, reason: '' });
  }

  receive(frame: ServerFrame): void {
    const text = JSON.stringify(frame);
    setTimeout(() => {
      if (this.readyState === 1) this.onmessage?.({ data: text });
    }, 0);
  }

  drop(): void {
    this.registry.delete(this);
    if (this.readyState !== 1) return;
    this.readyState = 3;
    this.onclose?.({ code: 1006, reason: 'cut' });
  }

  send(data: string): void {
    if ((JSON.parse(data) as { type: string }).type === 'ping') this.receive({ type: 'pong' });
  }

  close(): void {
    this.registry.delete(this);
    this.readyState = 3;
  }
}
