/**
 * Reactions of the messages in {@link ChatState}: counts are each held Message's `reactions`, set
 * from every reaction event's `count`; your own are kept beside them ({@link OwnReactions}). Lives
 * apart from ChatState, which hands it its message windows and last messages.
 */
import type { Emitter } from '../emitter.js';
import type { LastMessages } from './last-messages.js';
import type { MessageWindow } from './message-window.js';
import { OwnReactions, withReactionCount, type MessageReaction, type ReactionChange } from './own-reactions.js';
import type { ChatStateChanges } from './state-changes.js';

export interface ReactionStateDeps {
  windows: ReadonlyMap<string, MessageWindow>;
  lastMessages: LastMessages;
  changes: Emitter<ChatStateChanges>;
  selfId: () => string | null;
}

export class ReactionState {
  readonly own = new OwnReactions();

  constructor(private readonly deps: ReactionStateDeps) {}

  /** A held message's reactions, each with whether it is yours; [] for a message not held. */
  of(conversationId: string, messageId: string): MessageReaction[] {
    const message = this.deps.windows.get(conversationId)?.byId(messageId) ?? this.deps.lastMessages.get(conversationId);
    if (message?.message_id !== messageId) return [];
    const mine = this.own.get(conversationId, messageId);
    return (message.reactions ?? []).map(({ emoji, count }) => ({ emoji, count, mine: mine.includes(emoji) }));
  }

  /**
   * A reaction event: the emoji's count on the message when it is held and not already newer
   * than the event, and your own reactions when `user_id` is yours.
   */
  apply(change: ReactionChange): void {
    const { conversation_id: id, message_id, emoji, count, event_seq } = change;
    const { windows, lastMessages, changes } = this.deps;
    const window = windows.get(id);
    const held = window?.byId(message_id);
    if (window && held && event_seq > held.version) {
      window.update(withReactionCount(held, emoji, count, event_seq));
      changes.emit('messages', id);
    }
    const last = lastMessages.get(id);
    if (last?.message_id === message_id && event_seq > last.version && lastMessages.update(withReactionCount(last, emoji, count, event_seq))) {
      changes.emit('conversation', id);
    }
    if (change.user_id === this.deps.selfId()) this.setOwn(id, message_id, emoji, change.type === 'reaction.added', event_seq);
  }

  /** Adds or takes back one of your own reactions (`version`: the event's event_seq; 0 for the answer to your own request). */
  setOwn(conversationId: string, messageId: string, emoji: string, on: boolean, version = 0): void {
    if (this.own.set(conversationId, messageId, emoji, on, version)) this.deps.changes.emit('reactions', conversationId);
  }

  /** Your own reactions to a message as a page or snapshot read at `version` gives them. */
  replaceOwn(conversationId: string, messageId: string, emoji: readonly string[], version: number): void {
    if (this.own.replace(conversationId, messageId, emoji, version)) this.deps.changes.emit('reactions', conversationId);
  }
}
