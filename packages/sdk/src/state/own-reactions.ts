/**
 * Reactions in local state (docs/API.md, "Reactions"): a message's counts live in its
 * `reactions`, set from each reaction event's `count` (the emoji's total, not an increment, so
 * an event applied twice or replayed from the log ends at the server's count); your own
 * reactions, which a Message does not carry, are kept here per conversation and message, from
 * events whose `user_id` is yours and from the `my_reactions` of history pages and snapshots.
 */
import type { Message } from '../types.js';

/** One emoji on a message as a UI shows it. */
export interface MessageReaction {
  emoji: string;
  count: number;
  /** You reacted with it. */
  mine: boolean;
}

/** A reaction event as the state applies it (from the log or a live frame). */
export interface ReactionChange {
  type: 'reaction.added' | 'reaction.removed';
  conversation_id: string;
  event_seq: number;
  message_id: string;
  emoji: string;
  user_id: string;
  count: number;
}

/**
 * The message with `emoji` at `count` (gone at 0; a new emoji goes last, as the server orders
 * by first reaction) and `version` at least `eventSeq` (a reaction is a change of its message).
 */
export function withReactionCount(message: Message, emoji: string, count: number, eventSeq: number): Message {
  const current = message.reactions ?? [];
  const known = current.some((r) => r.emoji === emoji);
  let reactions;
  if (count <= 0) reactions = current.filter((r) => r.emoji !== emoji);
  else if (known) reactions = current.map((r) => (r.emoji === emoji ? { emoji, count } : r));
  else reactions = [...current, { emoji, count }];
  return { ...message, reactions, version: Math.max(message.version, eventSeq) };
}

interface Own {
  emoji: string[];
  /** The event_seq of the newest change applied, so an older page cannot undo a newer event. */
  version: number;
}

const NONE: readonly string[] = [];

/** Your own reactions, per conversation and message, in the order you reacted. */
export class OwnReactions {
  private readonly byConversation = new Map<string, Map<string, Own>>();

  get(conversationId: string, messageId: string): readonly string[] {
    return this.byConversation.get(conversationId)?.get(messageId)?.emoji ?? NONE;
  }

  /** Adds (`on`) or removes one emoji; `version` is the event's event_seq (none for your own request's answer). True when it changed. */
  set(conversationId: string, messageId: string, emoji: string, on: boolean, version = 0): boolean {
    const own = this.entry(conversationId, messageId);
    own.version = Math.max(own.version, version);
    const has = own.emoji.includes(emoji);
    if (has === on) return false;
    own.emoji = on ? [...own.emoji, emoji] : own.emoji.filter((e) => e !== emoji);
    return true;
  }

  /** A message's list as a page or snapshot read at `version` says; ignored when a newer event was applied. True when it changed. */
  replace(conversationId: string, messageId: string, emoji: readonly string[], version: number): boolean {
    const own = this.entry(conversationId, messageId);
    if (own.version > version) return false;
    own.version = version;
    if (own.emoji.length === emoji.length && own.emoji.every((e, i) => e === emoji[i])) return false;
    own.emoji = [...emoji];
    return true;
  }

  /** A deleted message has no reactions. True when it had some of yours. */
  forgetMessage(conversationId: string, messageId: string): boolean {
    const had = this.get(conversationId, messageId).length > 0;
    this.byConversation.get(conversationId)?.delete(messageId);
    return had;
  }

  forget(conversationId: string): void {
    this.byConversation.delete(conversationId);
  }

  private entry(conversationId: string, messageId: string): Own {
    let messages = this.byConversation.get(conversationId);
    if (!messages) this.byConversation.set(conversationId, (messages = new Map()));
    let own = messages.get(messageId);
    if (!own) messages.set(messageId, (own = { emoji: [], version: 0 }));
    return own;
  }
}
