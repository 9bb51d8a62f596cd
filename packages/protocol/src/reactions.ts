/**
 * Reactions (docs/API.md, "Reactions"): the wire shapes, and what counts as a reaction, defined
 * once so the server, the SDK and the web app agree on it.
 */
import { Type, type Static } from 'typebox';
import { Uuid } from './models.js';

export { isReactionEmoji } from './reaction-emoji.js';

export const ReactionUsers = Type.Object(
  {
    emoji: Type.String(),
    count: Type.Integer({ minimum: 1 }),
    user_ids: Type.Array(Uuid, { description: 'who reacted with this emoji, earliest first' }),
  },
  { title: 'ReactionUsers' },
);
export type ReactionUsers = Static<typeof ReactionUsers>;

/** `GET /messages/{id}/reactions`: who reacted, per emoji, in the order of Message.reactions. */
export const MessageReactions = Type.Object({ reactions: Type.Array(ReactionUsers) }, { title: 'MessageReactions' });
export type MessageReactions = Static<typeof MessageReactions>;

/**
 * The caller's own reactions on a page of messages (history pages, sync snapshots): message id →
 * the emoji the caller reacted with, in the order they reacted. Only messages of the page the
 * caller reacted to are keys. A Message looks the same to everyone, so this is the page's field.
 */
export const MyReactions = Type.Record(Type.String(), Type.Array(Type.String()), {
  title: 'MyReactions',
  description: 'message_id → the emoji you reacted with; only messages of this page you reacted to',
});
export type MyReactions = Static<typeof MyReactions>;
