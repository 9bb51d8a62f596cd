/**
 * A live session: one self-healing socket, catch-up on every (re)connect, exactly-once in-order
 * message events, the outbox's socket transport, and local state for the UI.
 */
import type { BackoffOptions } from '../backoff.js';
import { Emitter } from '../emitter.js';
import { PneumaticError } from '../errors.js';
import type { Outbox, SendOptions } from '../outbox.js';
import type { RestApi } from '../rest-api.js';
import { ChatState, type ChatStateOptions } from '../state/chat-state.js';
import type { Message, ServerFrame } from '../types.js';
import { Connection } from './connection.js';
import { MessageSequencer } from './message-sequencer.js';
import type { SessionEvents, SessionState, SessionStateChange } from './session-events.js';
import { SocketTransport } from './socket-transport.js';
import { catchUpConversation, syncAll } from './sync.js';
import type { WebSocketFactory } from './websocket.js';

export interface SessionOptions {
  /** Reconnect delays. Default: 250 ms doubling to at most 10 s, full jitter. */
  backoff?: BackoffOptions;
  /** Resend a message (same message_id) when its ack has not come within this long, ms. Default 10,000. */
  ackTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  heartbeatTimeoutMs?: number;
  /**
   * Last seen seq per conversation id, e.g. saved from `session.cursors()` by a previous run:
   * everything after it is delivered on connect. Conversations not listed start at their
   * current `last_seq` (history is loaded on demand with `loadHistory`).
   */
  cursors?: Record<string, number>;
  state?: ChatStateOptions;
  /** Custom socket construction (tests, proxies). Default: native WebSocket, else `ws`. */
  webSocket?: WebSocketFactory;
}

export interface SessionDeps {
  api: RestApi;
  outbox: Outbox;
  url: string;
  token: () => string;
  selfId: string;
  factory: WebSocketFactory;
  /** Called once the session has closed for good. */
  onClosed: (session: Session) => void;
}

export class Session extends Emitter<SessionEvents> {
  /** Local state (message windows, unread counts, typing, read positions), updated before each event. */
  readonly state: ChatState;
  readonly userId: string;
  private readonly connection: Connection;
  private readonly transport: SocketTransport;
  private readonly sequencer: MessageSequencer;
  private currentState: SessionState = 'connecting';
  private generation = 0;
  private syncing = false;
  private syncedOnce = false;
  private heldEvents: ServerFrame[] = [];
  private readonly gapRuns = new Set<string>();

  constructor(
    private readonly deps: SessionDeps,
    private readonly options: SessionOptions = {},
  ) {
    super();
    this.userId = deps.selfId;
    this.state = new ChatState(() => this.userId, options.state, (conversation_id, user_id) => this.emit('typing.stopped', { conversation_id, user_id }));
    this.sequencer = new MessageSequencer({
      deliver: (message) => {
        this.state.applyMessage(message);
        this.emit('message', message);
      },
      gap: (conversationId) => void this.fillGap(conversationId),
    });
    this.connection = new Connection({
      url: deps.url,
      token: deps.token,
      factory: deps.factory,
      backoff: options.backoff,
      heartbeatIntervalMs: options.heartbeatIntervalMs,
      heartbeatTimeoutMs: options.heartbeatTimeoutMs,
      shouldGiveUp: async () => {
        try {
          await deps.api.me();
          return false;
        } catch (error) {
          return error instanceof PneumaticError && error.status === 401;
        }
      },
    });
    this.transport = new SocketTransport(this.connection, options.ackTimeoutMs ?? 10_000);
    this.connection.on('frame', (frame) => this.onFrame(frame));
    this.connection.on('open', () => void this.sync());
    this.connection.on('state', (change) => this.onConnectionState(change));
  }

  /** Opens the socket; resolves once caught up and live, rejects if it closes for good first. */
  start(): Promise<this> {
    const ready = new Promise<this>((resolve, reject) => {
      const off = this.on('state', ({ state, code, reason }) => {
        if (state === 'live') resolve(this);
        else if (state === 'closed') reject(new PneumaticError('closed', `The session closed before it was live (${code ?? ''} ${reason ?? ''})`.trim()));
        else return;
        off();
      });
    });
    this.deps.outbox.setTransport(this.transport);
    this.connection.start();
    return ready;
  }

  get connectionState(): SessionState {
    return this.currentState;
  }

  /** Sends through the outbox: resolves with the stored message once acknowledged (see README, "Reliable sending"). */
  send(conversationId: string, content: string, options?: SendOptions): Promise<Message> {
    return this.deps.outbox.send(conversationId, content, options);
  }

  /** Tells the other members you are typing; false when the socket is not open (nothing is queued). */
  typing(conversationId: string): boolean {
    return this.connection.send({ type: 'typing', conversation_id: conversationId });
  }

  /** Moves your read position forward (REST, so it is confirmed); applied to local state at once. */
  async markRead(conversationId: string, seq: number): Promise<void> {
    await this.deps.api.markRead(conversationId, seq);
    this.state.applyRead(conversationId, this.userId, seq);
  }

  /** Loads up to `limit` messages older than the window into local state and returns them. */
  async loadHistory(conversationId: string, limit = 50): Promise<Message[]> {
    const oldest = this.state.messages(conversationId)[0]?.seq;
    const page = await this.deps.api.listMessages(conversationId, oldest !== undefined ? { before: oldest, limit } : { limit });
    this.state.applyHistory(page.messages);
    return page.messages;
  }

  /** Last seen seq per conversation: persist it and pass it back as `cursors` to resume after a restart. */
  cursors(): Record<string, number> {
    return Object.fromEntries(this.sequencer.cursors());
  }

  /** Drops the socket and reconnects (with catch-up), as after a network change. */
  reconnect(): void {
    this.connection.reconnect('reconnect requested');
  }

  /** Closes the session for good. Unacknowledged sends stay in the outbox (they continue over HTTP). */
  close(): void {
    this.connection.stop(1000, 'client closed');
  }

  private onConnectionState(change: SessionStateChange | { state: 'open' }): void {
    if (change.state === 'open') return this.setState({ state: 'syncing' });
    if (change.state !== 'closed') {
      this.generation++;
      return this.setState(change);
    }
    this.generation++;
    this.transport.dispose();
    this.state.dispose();
    this.setState(change);
    this.deps.onClosed(this);
  }

  private onFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'ack':
        this.transport.handleFrame(frame);
        return;
      case 'error':
        if (!this.transport.handleFrame(frame)) this.emit('error', new PneumaticError(frame.code, frame.detail));
        return;
      case 'message':
        this.sequencer.offer(frame.message);
        return;
      case 'pong':
      case 'joined':
        return;
      default:
        if (this.syncing) this.heldEvents.push(frame);
        else this.dispatch(frame);
    }
  }

  private dispatch(frame: ServerFrame): void {
    switch (frame.type) {
      case 'message.updated':
        this.state.applyUpdate(frame.message);
        return this.emit('message.updated', frame.message);
      case 'read':
        this.state.applyRead(frame.conversation_id, frame.user_id, frame.seq);
        return this.emit('read', { conversation_id: frame.conversation_id, user_id: frame.user_id, seq: frame.seq });
      case 'typing':
        if (frame.user_id === this.userId) return;
        this.state.applyTyping(frame.conversation_id, frame.user_id);
        return this.emit('typing', { conversation_id: frame.conversation_id, user_id: frame.user_id });
      case 'member.added':
        this.state.applyConversation(frame.conversation);
        this.sequencer.track(frame.conversation.id, frame.conversation.last_seq);
        return this.emit('member.added', { conversation: frame.conversation });
      case 'member.removed':
        return this.applyMemberRemoved(frame.conversation_id, frame.user_id);
      default:
        return;
    }
  }

  private applyMemberRemoved(conversationId: string, userId: string): void {
    if (userId === this.userId) this.sequencer.forget(conversationId);
    this.state.applyMemberRemoved(conversationId, userId);
    this.emit('member.removed', { conversation_id: conversationId, user_id: userId });
  }

  /** Runs on every socket open: catch up, then release held events in order, then go live. */
  private async sync(): Promise<void> {
    const generation = ++this.generation;
    const current = () => generation === this.generation;
    this.syncing = true;
    this.sequencer.holdEverything();
    try {
      const { discovered, lost } = await syncAll({
        api: this.deps.api,
        sequencer: this.sequencer,
        state: this.state,
        initialCursors: this.options.cursors ?? {},
        current,
      });
      if (!current()) return;
      for (const id of lost) this.applyMemberRemoved(id, this.userId);
      if (this.syncedOnce) for (const summary of discovered) this.emit('member.added', { conversation: summary });
      this.syncedOnce = true;
      this.syncing = false;
      this.sequencer.releaseAll();
      const held = this.heldEvents;
      this.heldEvents = [];
      for (const frame of held) this.dispatch(frame);
      this.setState({ state: 'live' });
    } catch (error) {
      if (!current()) return;
      this.emit('error', error instanceof PneumaticError ? error : new PneumaticError('network', String(error)));
      // Try again on a fresh connection; live events stay held until a sync completes.
      this.connection.reconnect('catch-up failed');
    }
  }

  /** A live message skipped ahead: fetch the missing history for that conversation. */
  private async fillGap(conversationId: string): Promise<void> {
    if (this.gapRuns.has(conversationId) || this.currentState === 'closed') return;
    this.gapRuns.add(conversationId);
    const before = this.sequencer.cursor(conversationId);
    try {
      const accessible = await catchUpConversation({ api: this.deps.api, sequencer: this.sequencer, current: () => true }, conversationId);
      this.gapRuns.delete(conversationId);
      if (!accessible) return;
      if (this.sequencer.cursor(conversationId) === before) this.sequencer.skipGap(conversationId);
      else this.sequencer.endCatchUp(conversationId);
    } catch (error) {
      this.gapRuns.delete(conversationId);
      this.emit('error', error instanceof PneumaticError ? error : new PneumaticError('network', String(error)));
      if (this.currentState === 'live') setTimeout(() => void this.fillGap(conversationId), 1000);
    }
  }

  private setState(change: SessionStateChange): void {
    this.currentState = change.state;
    this.emit('state', change);
  }
}
