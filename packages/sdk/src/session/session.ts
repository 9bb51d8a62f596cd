/**
 * A live session: one self-healing socket, catch-up through the change feed on every (re)connect,
 * exactly-once in-order events, the outbox's socket transport, and local state for the UI.
 */
import { Emitter } from '../emitter.js';
import { PneumaticError } from '../errors.js';
import type { SendOptions } from '../outbox.js';
import { ChatState } from '../state/chat-state.js';
import type { ActivityReport, Message, ServerFrame } from '../types.js';
import type { Connection } from './connection.js';
import { EventSequencer } from './event-sequencer.js';
import { FeedApplier } from './feed-applier.js';
import { feedEventOf } from './feed-event.js';
import { applyLiveFrame } from './live-frames.js';
import { sendReaction } from './reactions.js';
import { SessionPresence } from './session-presence.js';
import { SessionThreads } from './threads.js';
import { summariesOf, syncFeed } from './feed-sync.js';
import type { SessionEvents, SessionState, SessionStateChange } from './session-events.js';
import { SocketTransport } from './socket-transport.js';
import { sessionConnection, type SessionDeps, type SessionOptions } from './session-options.js';
export type { SessionDeps, SessionOptions } from './session-options.js';

export class Session extends Emitter<SessionEvents> {
  /** Local state (message windows, unread counts, typing, read positions), updated before each event. */
  readonly state: ChatState;
  readonly threads: SessionThreads; // thread pages, read positions and follows, applied to `state` too
  readonly userId: string;
  private readonly connection: Connection;
  private readonly transport: SocketTransport;
  private readonly sequencer: EventSequencer;
  private readonly applier: FeedApplier;
  private readonly presence: SessionPresence;
  private currentState: SessionState = 'connecting';
  private syncRunning = false;
  private syncWanted = false;
  private syncedOnce = false;
  /** The highest user_seq seen (docs/API.md: a jump means a missed join, leave or read). */
  private lastUserSeq: number | null = null;
  /** Frames that are not conversation events (reads, typing), and user_seqs, held during a sync. */
  private heldFrames: ServerFrame[] = [];
  private heldUserSeqs: number[] = [];
  /** Positions to list in the first sync: the `positions` option, and `cursors` at 0. */
  private readonly startPositions: Map<string, number>;
  /** From the `cursors` option: messages up to here were seen by an earlier run. */
  private readonly seenUpTo: Map<string, number>;

  constructor(
    private readonly deps: SessionDeps,
    private readonly options: SessionOptions = {},
  ) {
    super();
    this.userId = deps.selfId;
    this.state = new ChatState(
      () => this.userId,
      options.state,
      (conversation_id, user_id) => this.emit('typing.stopped', { conversation_id, user_id }),
      (conversation_id, user_id, seq) => this.emit('read', { conversation_id, user_id, seq }),
    );
    this.threads = new SessionThreads(deps.api, this.state);
    this.seenUpTo = new Map(Object.entries(options.cursors ?? {}));
    this.startPositions = new Map([...[...this.seenUpTo.keys()].map((id): [string, number] => [id, 0]), ...Object.entries(options.positions ?? {})]);
    this.applier = new FeedApplier({
      api: deps.api,
      state: this.state,
      selfId: this.userId,
      seenUpTo: this.seenUpTo,
      emit: ({ name, payload }) => this.emit(name, payload as never),
      requestSync: () => this.requestSync(),
      isClosed: () => this.currentState === 'closed',
    });
    this.sequencer = new EventSequencer({
      apply: (event) => this.applier.applyFeedEvent(event),
      gap: (conversationId) => void this.applier.fillGap(conversationId),
      // A new conversation starts live, unless a sync since then found you no longer in it (its
      // answer reflects every user_seq up to its own); one you were added to has history: a
      // sync brings its snapshot.
      adoptable: (event) => event.type === 'conversation.created' && (event.user_seq === undefined || event.user_seq > (this.lastUserSeq ?? 0)),
      unknown: () => this.requestSync(),
    });
    this.applier.attach(this.sequencer);
    this.connection = sessionConnection(deps, options);
    this.transport = new SocketTransport(this.connection, options.ackTimeoutMs ?? 10_000);
    this.presence = new SessionPresence({ api: deps.api, state: this.state, connection: this.connection, session: this });
    this.connection.on('frame', (frame) => this.onFrame(frame));
    this.connection.on('open', () => this.requestSync());
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

  /** Reports this device's activity and the conversation open and visible on it (docs/API.md, "Presence"); sent again on every reconnect. */
  setActivity(report: ActivityReport): void {
    this.presence.setActivity(report);
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
    // The server leaves my_reactions out when you reacted to none of the page.
    this.state.applyHistory(page.messages, page.my_reactions ?? {});
    return page.messages;
  }

  /** Reacts with one emoji, or takes it back (`on` false): yours in `state` at once, its count when its event arrives. */
  react(messageId: string, emoji: string, on = true): Promise<void> {
    return sendReaction(this.deps.api, this.state, messageId, emoji, on);
  }

  /** Takes your reaction back: `react(messageId, emoji, false)`. */
  unreact(messageId: string, emoji: string): Promise<void> {
    return this.react(messageId, emoji, false);
  }

  /** The highest event_seq applied per conversation: persist it and pass it back as `positions` to resume with every change made meanwhile. */
  positions(): Record<string, number> {
    return Object.fromEntries(this.sequencer.positions());
  }

  /** The v1 resume point: the last message seq known per conversation (see the `cursors` option). */
  cursors(): Record<string, number> {
    const cursors: Record<string, number> = {};
    for (const id of this.sequencer.positions().keys()) cursors[id] = Math.max(this.state.lastMessage(id)?.seq ?? 0, this.seenUpTo.get(id) ?? 0);
    return cursors;
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
    if (change.state !== 'closed') return this.setState(change);
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
      case 'pong':
      case 'joined':
      case 'presence': // SessionPresence's
        return;
      default: {
        const event = feedEventOf(frame);
        if (!event) {
          if (this.sequencer.isHolding) this.heldFrames.push(frame);
          else this.dispatch(frame);
          return;
        }
        this.sequencer.offer(event);
        if ('user_seq' in frame && frame.user_seq !== undefined) this.noteUserSeq(frame.user_seq);
      }
    }
  }

  /** Frames that are not conversation events: reads, typing, your notification settings and profile (live-frames.ts). */
  private dispatch(frame: ServerFrame): void {
    applyLiveFrame(frame, {
      state: this.state,
      selfId: this.userId,
      noteUserSeq: (userSeq) => this.noteUserSeq(userSeq),
      typing: (conversation_id, user_id) => this.emit('typing', { conversation_id, user_id }),
    });
  }

  /** A user_seq past the next one: a join, leave or read of yours was missed; sync to learn it. */
  private noteUserSeq(userSeq: number): void {
    if (this.sequencer.isHolding) {
      this.heldUserSeqs.push(userSeq);
      return;
    }
    if (this.lastUserSeq !== null && userSeq > this.lastUserSeq + 1) this.requestSync();
    this.lastUserSeq = Math.max(this.lastUserSeq ?? 0, userSeq);
  }

  /** Syncs now, or once more after the sync under way (whose answer may predate the reason). */
  private requestSync(): void {
    this.syncWanted = true;
    if (!this.syncRunning) void this.runSync();
  }

  /** Holds live events, syncs until nothing more is wanted, then releases them in order and goes live. */
  private async runSync(): Promise<void> {
    this.syncRunning = true;
    this.sequencer.hold();
    try {
      while (this.syncWanted && this.currentState !== 'closed') {
        this.syncWanted = false;
        await this.syncOnce();
      }
    } catch (error) {
      this.syncRunning = false;
      if (this.currentState === 'closed') return;
      this.emit('error', error instanceof PneumaticError ? error : new PneumaticError('network', String(error)));
      // Try again on a fresh connection; live events stay held until a sync completes.
      this.connection.reconnect('catch-up failed');
      return;
    }
    this.syncRunning = false;
    if (this.currentState === 'closed') return;
    this.syncedOnce = true;
    const userSeqs = this.heldUserSeqs;
    const frames = this.heldFrames;
    this.heldUserSeqs = [];
    this.heldFrames = [];
    this.sequencer.release();
    for (const userSeq of userSeqs) this.noteUserSeq(userSeq);
    for (const frame of frames) this.dispatch(frame);
    if (this.currentState === 'syncing' && this.connection.isOpen && !this.syncRunning) this.setState({ state: 'live' });
  }

  private async syncOnce(): Promise<void> {
    const positions = Object.fromEntries(this.startPositions);
    const resumed = [...this.startPositions.keys()];
    for (const [id, position] of this.sequencer.positions()) positions[id] = position;
    const inexact = new Set<string>();
    const announceJoins = this.syncedOnce;
    const result = await syncFeed(
      {
        api: this.deps.api,
        sequencer: this.sequencer,
        snapshotMessages: this.options.snapshotMessages ?? 50,
        snapshot: (id, reason, snapshot) => {
          if (!this.applier.applySnapshot(id, reason, snapshot, announceJoins)) inexact.add(id);
        },
        gone: (id) => this.applier.drop(id),
        reads: (id, reads) => this.applier.applyReads(id, reads),
        notificationSettings: (settings, userSeq) => this.state.notificationSettings.replace(settings, userSeq),
        me: (user, userSeq) => this.state.users.applyOwn(user, userSeq),
      },
      positions,
    );
    if (this.currentState === 'closed') return;
    this.startPositions.clear();
    this.lastUserSeq = Math.max(this.lastUserSeq ?? 0, result.userSeq);
    if (result.again) this.syncWanted = true;
    // Resumed from persisted positions: the events do not say how many older messages are unread.
    for (const id of resumed) if (this.sequencer.position(id) !== undefined) inexact.add(id);
    if (inexact.size === 0) return;
    for (const summary of await summariesOf(this.deps.api, inexact)) {
      if (!this.sequencer.positions().has(summary.id)) continue;
      if (this.state.conversation(summary.id)) this.state.seedUnread(summary);
      else this.state.applySummary(summary);
    }
  }

  private setState(change: SessionStateChange): void {
    this.currentState = change.state;
    this.emit('state', change);
  }
}
