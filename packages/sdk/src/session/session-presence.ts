/**
 * The session's side of presence (docs/API.md, "Presence"): what this device reports in
 * `activity` frames, and what the server says of others, kept in `state` (`state.presence`).
 * Reports are deduplicated (the same one again is sent only to refresh `active`, at most every
 * 30 s) and repeated after every reconnect, since the server forgets a device with its socket.
 * Frames are live only: on every (re)connect the session asks `GET /presence` about everyone
 * it shares a conversation with, 100 at a time.
 */
import { ACTIVITY_REPEAT_MS } from '@pneumatic/protocol/presence-limits';
import type { Emitter } from '../emitter.js';
import { PneumaticError } from '../errors.js';
import type { RestApi } from '../rest-api.js';
import type { ChatState } from '../state/chat-state.js';
import type { ActivityReport, FrameOf, ServerFrame } from '../types.js';
import type { Connection } from './connection.js';
import type { SessionEvents } from './session-events.js';

export interface SessionPresenceDeps {
  api: RestApi;
  state: ChatState;
  /** The session's socket: reports go out on it, frames come in from it, and a new one gets the report again. */
  connection: Pick<Connection, 'send' | 'on'>;
  /** The session: `presence` and `error` are emitted on it; once it is `live` (caught up), presence is asked for again. */
  session: Pick<Emitter<SessionEvents>, 'on' | 'emit'>;
  now?: () => number;
}

export class SessionPresence {
  /** The report the app gave last, sent on every (re)connect; null until it gives one. */
  private wanted: ActivityReport | null = null;
  /** What this socket was last sent, and when (null: nothing yet on this socket). */
  private sent: { report: ActivityReport; at: number } | null = null;
  /** Bumped by every frame; a GET started before a user's frame does not overwrite it. */
  private generation = 0;
  private readonly framedAt = new Map<string, number>();

  constructor(private readonly deps: SessionPresenceDeps) {
    deps.connection.on('open', () => this.opened());
    deps.connection.on('frame', (frame: ServerFrame) => {
      if (frame.type === 'presence') this.apply(frame);
    });
    deps.session.on('state', ({ state }) => {
      if (state === 'live') this.refresh().catch((error: unknown) => deps.session.emit('error', error instanceof PneumaticError ? error : new PneumaticError('network', String(error))));
    });
  }

  /** Reports this device's activity; false when the socket is not open (it goes out on reconnect). */
  setActivity(report: ActivityReport): boolean {
    this.wanted = { state: report.state, viewing: report.viewing };
    const now = this.now();
    const same = this.sent !== null && this.sent.report.state === report.state && this.sent.report.viewing === report.viewing;
    if (same && (report.state === 'idle' || now - this.sent!.at < ACTIVITY_REPEAT_MS)) return true;
    return this.send(now);
  }

  /** A new socket: nothing was reported on it yet. */
  opened(): void {
    this.sent = null;
    if (this.wanted) this.send(this.now());
  }

  apply(frame: FrameOf<'presence'>): void {
    const { user_id, status, last_seen_at } = frame;
    this.framedAt.set(user_id, ++this.generation);
    if (this.deps.state.presenceBook.apply(user_id, { status, last_seen_at })) this.deps.session.emit('presence', { user_id, status, last_seen_at });
  }

  /** Asks the server about everyone known (after each catch-up); frames that arrive meanwhile win. */
  async refresh(): Promise<void> {
    const started = this.generation;
    const users = this.deps.state.knownUsers();
    if (users.length === 0) return;
    for (const entry of await this.deps.api.getPresence(users)) {
      if ((this.framedAt.get(entry.user_id) ?? 0) > started) continue;
      const { user_id, status, last_seen_at } = entry;
      if (this.deps.state.presenceBook.apply(user_id, { status, last_seen_at })) this.deps.session.emit('presence', { user_id, status, last_seen_at });
    }
  }

  private send(now: number): boolean {
    const report = this.wanted!;
    if (!this.deps.connection.send({ type: 'activity', state: report.state, viewing: report.viewing })) return false;
    this.sent = { report, at: now };
    return true;
  }

  private now(): number {
    return this.deps.now ? this.deps.now() : Date.now();
  }
}
