/**
 * A test client that does what API.md asks of every client: on a dropped socket it reconnects
 * (to any of the given servers) and catches up with GET ?after=<last seen seq>, deduping by
 * message_id. It records every message it has seen, once.
 */
import { Api } from './api-client.js';
import { TestSocket } from './ws-client.js';

export class CatchingUpClient {
  readonly seen = new Map<string, { seq: number; conversation_id: string }>();
  private readonly seqs = new Map<string, Set<number>>();
  private readonly lastSeq = new Map<string, number>();
  private socket: TestSocket | null = null;
  private stopped = false;
  private attempt = 0;
  reconnects = 0;

  constructor(
    private readonly servers: () => { url: string; wsUrl: string }[],
    private readonly token: string,
    private readonly conversationIds: string[],
  ) {}

  async start(): Promise<void> {
    await this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.socket?.close();
  }

  private pick() {
    const list = this.servers();
    return list[this.attempt++ % list.length]!;
  }

  private async connect(): Promise<void> {
    while (!this.stopped) {
      const server = this.pick();
      try {
        const socket = await TestSocket.open(server.wsUrl, { token: this.token });
        this.socket = socket;
        socket.ws.on('message', (data) => this.onFrame(JSON.parse(data.toString())));
        socket.ws.on('close', () => {
          if (!this.stopped) {
            this.reconnects++;
            void this.connect();
          }
        });
        await this.catchUp(server.url);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  /** Pages through everything after the last seen seq of each conversation. */
  async catchUp(url?: string): Promise<void> {
    const api = new Api(url ?? this.pick().url, this.token);
    for (const conversationId of this.conversationIds) {
      for (;;) {
        const after = this.lastSeq.get(conversationId) ?? 0;
        const page = await api.get(`/conversations/${conversationId}/messages?after=${after}&limit=200`);
        if (page.status !== 200) throw new Error(`catch-up failed: ${page.status}`);
        for (const message of page.body.messages) this.record(message);
        if (!page.body.has_more) break;
      }
    }
  }

  private onFrame(frame: { type: string; message?: { message_id: string; seq: number; conversation_id: string } }): void {
    if (frame.type === 'message' && frame.message) this.record(frame.message);
  }

  private record(message: { message_id: string; seq: number; conversation_id: string }): void {
    if (this.seen.has(message.message_id)) return;
    this.seen.set(message.message_id, message);
    const seqs = this.seqs.get(message.conversation_id) ?? new Set<number>();
    seqs.add(message.seq);
    this.seqs.set(message.conversation_id, seqs);
    // Only a contiguous prefix counts as caught up, so a live message past a gap cannot hide the gap.
    let last = this.lastSeq.get(message.conversation_id) ?? 0;
    while (seqs.has(last + 1)) last++;
    this.lastSeq.set(message.conversation_id, last);
  }
}
