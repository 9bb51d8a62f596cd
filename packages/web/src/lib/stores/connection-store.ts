/** The live SDK session and its connection state, for the banner and for screens that wait on it. */
import type { Session, SessionState } from '@pneumatic/client';
import { Atom } from './atom.js';

export interface ConnectionView {
  state: SessionState;
  /** Set once the connection was lost, so that "syncing" reads as "catching up". */
  wasDisconnected: boolean;
  /** A session has been live at least once: the conversation list is known. */
  synced: boolean;
}

const sameView = (a: ConnectionView, b: ConnectionView) => a.state === b.state && a.wasDisconnected === b.wasDisconnected && a.synced === b.synced;

export class ConnectionStore {
  readonly view = new Atom<ConnectionView>({ state: 'connecting', wasDisconnected: false, synced: false }, sameView);
  /** The current session (a new one after a session closed for good and the user reconnected). */
  readonly session = new Atom<Session | null>(null);

  /** Follows a session state change. */
  follow(state: SessionState): void {
    const view = this.view.get();
    this.view.set({
      state,
      wasDisconnected: state === 'reconnecting' || (view.wasDisconnected && state !== 'live'),
      synced: view.synced || state === 'live',
    });
  }
}
