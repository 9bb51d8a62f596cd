/**
 * Deciding who gets a push for each claimed message (domain/push/push-recipients.ts), as the
 * dispatcher asks it: for a round's messages at once. On the main thread, where presence lives,
 * it is `decideLocally`; the push thread (push.worker.ts) asks the main thread for it.
 */
import type { OutboxMessage, PushRecipient } from '../domain/ports/push-repository.js';
import { recipientsOf, type EffectiveNotificationSettings, type PushRecipientDeps } from '../domain/push/push-recipients.js';

/** The recipients of each message, in the order given. */
export type RecipientDecider = (messages: readonly OutboxMessage[], at: Date) => Promise<PushRecipient[][]>;

/**
 * A round's lookups run in slices with the event loop let through between them: on SQLite a
 * settings lookup is a synchronous query on the main thread, and a round of a busy second (a
 * thousand messages, a hundred conversations) in one go held deliveries for 20 to 60 ms.
 */
const CONVERSATIONS_PER_SLICE = 8;
const MESSAGES_PER_SLICE = 100;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

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
    const conversations = [...candidates];
    for (let i = 0; i < conversations.length; i += CONVERSATIONS_PER_SLICE) {
      if (i > 0) await yieldToEventLoop();
      await Promise.all(
        conversations.slice(i, i + CONVERSATIONS_PER_SLICE).map(async ([conversationId, members]) => {
          const userIds = [...members];
          const [settings, viewers] = await Promise.all([deps.settingsOf(conversationId, userIds), deps.viewersOf(conversationId, userIds)]);
          lookups.set(conversationId, { settings, viewers });
        }),
      );
    }
    const looked: PushRecipientDeps = {
      settingsOf: async (conversationId) => lookups.get(conversationId)?.settings ?? new Map(),
      notifies: (settings, message, now) => deps.notifies(settings, message, now),
      viewersOf: async (conversationId) => lookups.get(conversationId)?.viewers ?? new Set(),
    };
    const recipients: PushRecipient[][] = [];
    for (let i = 0; i < messages.length; i += MESSAGES_PER_SLICE) {
      await yieldToEventLoop();
      recipients.push(...(await Promise.all(messages.slice(i, i + MESSAGES_PER_SLICE).map((message) => recipientsOf(message, looked, at)))));
    }
    return recipients;
  };
}
