/**
 * What the session knows of other users' presence (docs/API.md, "Presence"): their status and
 * last-seen time, from `presence` frames and from `GET /presence` on every (re)connect. Only
 * users who share a conversation with you are ever told; any other user stays unknown.
 */
import type { PresenceStatus } from '../types.js';

export interface PresenceEntry {
  status: PresenceStatus;
  /** ISO time: now for an online user, the last activity for an away one, the last time online for an offline one; null if never seen. */
  last_seen_at: string | null;
}

export class PresenceBook {
  private readonly byUser = new Map<string, PresenceEntry>();

  constructor(private readonly onChange: (userId: string) => void = () => {}) {}

  get(userId: string): PresenceEntry | undefined {
    return this.byUser.get(userId);
  }

  /** Records what the server said; false (and no change reported) when it is what was known. */
  apply(userId: string, entry: PresenceEntry): boolean {
    const known = this.byUser.get(userId);
    if (known && known.status === entry.status && known.last_seen_at === entry.last_seen_at) return false;
    this.byUser.set(userId, { status: entry.status, last_seen_at: entry.last_seen_at });
    this.onChange(userId);
    return true;
  }

  clear(): void {
    this.byUser.clear();
  }
}
