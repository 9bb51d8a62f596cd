/**
 * Presence per user, as the SDK's session state holds it, one atom per user: a status change
 * re-renders that user's dots and header line only.
 */
import type { Session } from '@pneumatic/client';
import { onPresenceChange, presenceOf, type Presence } from '../notifications-api.js';
import type { Readable } from './atom.js';
import { KeyedAtoms } from './keyed-atoms.js';

const samePresence = (a: Presence | undefined, b: Presence | undefined) => a === b || (a !== undefined && b !== undefined && a.status === b.status && a.last_seen_at === b.last_seen_at);

export class PresenceStore {
  private readonly byUser = new KeyedAtoms<Presence | undefined>((userId) => {
    const session = this.session();
    return session ? presenceOf(session, userId) : undefined;
  }, samePresence);

  constructor(private readonly session: () => Session | null) {}

  /** A user's presence; undefined while unknown (or when the server has no presence). */
  of(userId: string): Readable<Presence | undefined> {
    return this.byUser.of(userId);
  }

  /** Follows a new session's presence changes; returns what unsubscribes. */
  bind(session: Session): Array<() => void> {
    this.byUser.invalidateAll();
    return [onPresenceChange(session, (userId) => (userId ? this.byUser.invalidate(userId) : this.byUser.invalidateAll()))];
  }
}
