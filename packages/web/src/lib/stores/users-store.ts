/**
 * Users' names and avatars (docs/API.md, "Profiles") as the SDK's session keeps them in
 * `state.users`, one atom per user: a display name or avatar changing re-renders the places that
 * show that user only. A user the session has never seen (the sender of an old message who left
 * before you joined) is looked up once, with the others wanted in the same task, in one
 * `GET /users?ids=`, whose answer the SDK adds to its cache. Status texts, which members do not
 * carry, are read on demand (`refresh`).
 */
import type { CachedUser, ChatState, Session, User } from '@pneumatic/client';
import type { Readable } from './atom.js';
import { KeyedAtoms } from './keyed-atoms.js';

export interface UsersStoreDeps {
  state: () => ChatState | null;
  /** You, as the login answered (until the session's sync brings your current profile). */
  self: () => User;
  /** `client.getUsers`: its answer lands in the session's cache. */
  fetchUsers: (ids: string[]) => Promise<unknown>;
  /** `client.findUsers`: an exact username, ignoring case. */
  findUsers: (username: string) => Promise<User[]>;
}

export class UsersStore {
  private readonly byId = new KeyedAtoms<CachedUser | undefined>((id) => this.lookUp(id), sameUser);
  /** Ids to ask for at the end of this task, and every id asked for already (once is enough). */
  private readonly wanted = new Set<string>();
  private readonly asked = new Set<string>();

  constructor(private readonly deps: UsersStoreDeps) {}

  /** A user's profile; undefined while unknown (a lookup is then on its way). */
  of(userId: string): Readable<CachedUser | undefined> {
    return this.byId.of(userId);
  }

  /** The name to show: display name, else username, else "Someone" while unknown. Not reactive: read it while rendering something that is. */
  name(userId: string): string {
    const user = this.byId.of(userId).get();
    return user ? (user.display_name ?? user.username) : 'Someone';
  }

  /** The user with this exact username (ignoring case), or null. */
  async findByUsername(username: string): Promise<User | null> {
    return (await this.deps.findUsers(username))[0] ?? null;
  }

  /**
   * Reads these users' profiles again, status texts included, in one request (100 ids a time): a
   * Member carries no status text, and a change to one is announced to nobody but its owner
   * (docs/API.md, "Profiles"), so a view that shows it asks when it opens. The answer lands in the
   * session's cache like any lookup; a failure leaves what was known.
   */
  refresh(userIds: readonly string[]): void {
    const ids = [...new Set(userIds)];
    if (ids.length > 0) this.deps.fetchUsers(ids).catch(() => {});
  }

  /** Follows a new session's user cache; returns what unsubscribes. */
  bind(session: Session): Array<() => void> {
    this.byId.invalidateAll();
    return [session.state.changes.on('users', (userId) => this.byId.invalidate(userId))];
  }

  private lookUp(userId: string): CachedUser | undefined {
    const state = this.deps.state();
    const cached = state?.users.get(userId);
    if (cached) return cached;
    const self = this.deps.self();
    if (userId === self.id) return fromUser(self);
    // Before the first sync nothing is known yet: the members it brings name most people.
    if (state) this.want(userId);
    return undefined;
  }

  private want(userId: string): void {
    if (this.asked.has(userId)) return;
    this.asked.add(userId);
    this.wanted.add(userId);
    if (this.wanted.size > 1) return;
    queueMicrotask(() => {
      const ids = [...this.wanted];
      this.wanted.clear();
      // A failed lookup leaves the names as they are ("Someone"), to be tried again when next looked up.
      this.deps.fetchUsers(ids).catch(() => ids.forEach((id) => this.asked.delete(id)));
    });
  }
}

/** Your login's User as a cached profile; a login stored before profiles has neither name nor avatar. */
function fromUser(user: User): CachedUser {
  return { id: user.id, username: user.username, is_bot: user.is_bot, display_name: user.display_name ?? null, avatar_url: user.avatar_url ?? null, status_text: user.status_text ?? null };
}

function sameUser(a: CachedUser | undefined, b: CachedUser | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.id === b.id && a.username === b.username && a.display_name === b.display_name && a.avatar_url === b.avatar_url && a.status_text === b.status_text && a.is_bot === b.is_bot;
}
