/**
 * Deciding who gets a push for each claimed message (domain/push/push-recipients.ts), as the
 * dispatcher asks it: for a round's messages at once. On the main thread, where presence lives,
 * it is `decideLocally`; the push thread (push.worker.ts) asks the main thread for it.
 */
import type { OutboxMessage, PushRecipient } from '../domain/ports/push-repository.js';
import { recipientsOf, type EffectiveNotificationSettings, type PushRecipientDeps } from '../domain/push/push-recipients.js';

/** The recipients of each message, in the order given. */
export type RecipientDecider = (messages: readonly OutboxMessage[], at: Date) => Promise<PushRecipient[][]>;

interface ConversationLookups {
  settings: Map<string, EffectiveNotificationSettings>;
  viewers: Set<string>;
}

/**
 * One settings and one presence lookup per conversation of the round, for every subscribed
 * member any of its messages may notify: a burst of a conversation's messages from several
 * senders costs two lookups, not two per message.
 */
export function decideLocally(deps: PushRecipientDeps): RecipientDecider {
  return async (messages, at) => {
    const candidates = new Map<string, Set<string>>();
    for (const message of messages) {
      if (message.gone) continue;
      let members = candidates.get(message.conversation_id);
      if (!members) candidates.set(message.conversation_id, (members = new Set()));
      for (const id of message.subscribed_member_ids) if (id !== message.sender_id) members.add(id);
    }
    const lookups = new Map<string, ConversationLookups>();
    await Promise.all(
      [...candidates].map(async ([conversationId, members]) => {
        const userIds = [...members];
        const [settings, viewers] = await Promise.all([deps.settingsOf(conversationId, userIds), deps.viewersOf(conversationId, userIds)]);
        lookups.set(conversationId, { settings, viewers });
      }),
    );
    const looked: PushRecipientDeps = {
      settingsOf: async (conversationId) => lookups.get(conversationId)?.settings ?? new Map(),
      notifies: (settings, message, now) => deps.notifies(settings, message, now),
      viewersOf: async (conversationId) => lookups.get(conversationId)?.viewers ?? new Set(),
    };
    return Promise.all(messages.map((message) => recipientsOf(message, looked, at)));
  };
}
