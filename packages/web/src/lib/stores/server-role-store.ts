/**
 * Your server role (docs/API.md, "Administration"): `admin` opens the Administration area and
 * the admin actions on messages. No user object carries it, so it is read from
 * `GET /users/me/role` each time the session syncs: a role given or taken away while the app is
 * open shows at the next reconnect, and at once where an admin request is refused.
 */
import { PneumaticError, type ServerRole, type Session } from '@pneumatic/client';
import { Atom, type Readable } from './atom.js';

export class ServerRoleStore {
  /** Null until the server has said: nothing admin-only shows meanwhile. */
  private readonly role = new Atom<ServerRole | null>(null);

  constructor(private readonly read: () => Promise<ServerRole>) {}

  get view(): Readable<ServerRole | null> {
    return this.role;
  }

  /** Reads the role as the session syncs (at start and after each reconnect); returns what unsubscribes. */
  bind(session: Session): Array<() => void> {
    if (session.connectionState === 'live') void this.refresh();
    return [
      session.on('state', ({ state }) => {
        if (state === 'live') void this.refresh();
      }),
    ];
  }

  /** Reads the role again; a failure leaves what was known, to be read at the next sync. */
  refresh(): Promise<void> {
    return this.read().then(
      (role) => this.role.set(role),
      () => {},
    );
  }

  /** An admin request was refused as `forbidden`: your role was taken away meanwhile, so it is read again. */
  refused(error: unknown): void {
    if (error instanceof PneumaticError && error.code === 'forbidden') void this.refresh();
  }
}
