/**
 * Deciding who gets a push for each claimed message (domain/push/push-recipients.ts), as the
 * dispatcher asks it: for a round's messages at once. On the main thread, where presence lives,
 * it is `decideLocally`; the push thread (push.worker.ts) asks the main thread for it.
 */
import type { OutboxMessage, PushRecipient } from '../domain/ports/push-repository.js';
import { recipientsOf, type PushRecipientDeps } from '../domain/push/push-recipients.js';

/** The recipients of each message, in the order given. */
export type RecipientDecider = (messages: readonly OutboxMessage[], at: Date) => Promise<PushRecipient[][]>;

export function decideLocally(deps: PushRecipientDeps): RecipientDecider {
  return (messages, at) => {
    const round = memoized(deps);
    return Promise.all(messages.map((message) => recipientsOf(message, round, at)));
  };
}

/**
 * One round's lookups, asked once per conversation and member list: a burst in one conversation
 * (one sender, the same candidates) costs one settings and one presence lookup, not one per message.
 */
function memoized(deps: PushRecipientDeps): PushRecipientDeps {
  const settings = new Map<string, ReturnType<PushRecipientDeps['settingsOf']>>();
  const viewers = new Map<string, ReturnType<PushRecipientDeps['viewersOf']>>();
  const key = (conversationId: string, userIds: readonly string[]) => `${conversationId} ${userIds.join(',')}`;
  return {
    settingsOf: (conversationId, userIds) => {
      const k = key(conversationId, userIds);
      let found = settings.get(k);
      if (!found) settings.set(k, (found = deps.settingsOf(conversationId, userIds)));
      return found;
    },
    notifies: (s, message, now) => deps.notifies(s, message, now),
    viewersOf: (conversationId, userIds) => {
      const k = key(conversationId, userIds);
      let found = viewers.get(k);
      if (!found) viewers.set(k, (found = deps.viewersOf(conversationId, userIds)));
      return found;
    },
  };
}
