/**
 * The message each composer quotes in its next send (`reply_to_id`, docs/API.md "Replies and
 * threads"), keyed by composer: a conversation id for the conversation's own composer, a root's
 * message id for its thread panel's. Cleared once sent or cancelled.
 */
import type { Message } from '@pneumatic/client';
import { Atom, type Readable } from './atom.js';

export class ReplyTargets {
  private readonly atoms = new Map<string, Atom<Message | null>>();

  of(composerKey: string): Readable<Message | null> {
    return this.atom(composerKey);
  }

  set(composerKey: string, message: Message | null): void {
    this.atom(composerKey).set(message);
  }

  private atom(key: string): Atom<Message | null> {
    let atom = this.atoms.get(key);
    if (!atom) this.atoms.set(key, (atom = new Atom<Message | null>(null)));
    return atom;
  }
}

/** The id of a composer's text box: the conversation's, or the thread panel's. */
export function composerInputId(threadRootId?: string): string {
  return threadRootId ? 'thread-composer-input' : 'composer-input';
}
