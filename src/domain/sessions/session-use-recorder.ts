/**
 * Records where a login session is used from (docs/API.md, "Password and sessions") without a
 * write per request: a session's use is written when this process has not written it for
 * USE_WRITE_INTERVAL_MS, so `last_used_at` is right to within that, at a cost of one small
 * update per active session per interval. Best effort: a failed write is not the request's
 * problem.
 */
import type { SessionRepository } from '../ports/repositories.js';
import { approximateNetwork, keptUserAgent } from './client-description.js';

export const USE_WRITE_INTERVAL_MS = 5 * 60_000;
/** Sessions remembered; past this the memory starts over (each then writes once more, harmless). */
const REMEMBERED_MAX = 100_000;

/** What a request tells about its client. */
export interface ClientInfo {
  user_agent?: string;
  ip?: string;
}

export class SessionUseRecorder {
  private readonly writtenAt = new Map<string, number>();

  constructor(private readonly sessions: SessionRepository) {}

  /** The use to store with a new session. */
  static useOf(client: ClientInfo, at: string) {
    return { at, user_agent: keptUserAgent(client.user_agent), ip: approximateNetwork(client.ip) };
  }

  /** A new session was just created with its first use: no need to write it again soon. */
  created(sessionId: string, now = Date.now()): void {
    this.remember(sessionId, now);
  }

  used(sessionId: string, client: ClientInfo, now = Date.now()): void {
    const last = this.writtenAt.get(sessionId);
    if (last !== undefined && now - last < USE_WRITE_INTERVAL_MS) return;
    this.remember(sessionId, now);
    this.sessions.recordUse(sessionId, SessionUseRecorder.useOf(client, new Date(now).toISOString())).catch(() => {
      // Forgotten, so the next use tries again.
      this.writtenAt.delete(sessionId);
    });
  }

  private remember(sessionId: string, now: number): void {
    if (this.writtenAt.size >= REMEMBERED_MAX) this.writtenAt.clear();
    this.writtenAt.set(sessionId, now);
  }
}
