/**
 * Reactions (docs/API.md, "Reactions"): the wire shapes, and what counts as a reaction, defined
 * once so the server, the SDK and the web app agree on it.
 */
import { Type, type Static } from 'typebox';
import { Uuid } from './models.js';

/**
 * Exactly one RGI emoji (Unicode TS #51, the emoji every vendor draws): one grapheme cluster,
 * skin tones, ZWJ sequences, flags and keycaps included, in fully-qualified form ("❤️", not a
 * bare "❤"). Built with RegExp so the `v` flag (ES2024, Node 20) needs no newer compile target.
 */
const RGI_EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');
/** The longest RGI emoji is 14 UTF-16 units (a subdivision flag); anything far longer is not one. */
const REACTION_MAX_UNITS = 32;

export function isReactionEmoji(value: string): boolean {
  return value.length > 0 && value.length <= REACTION_MAX_UNITS && RGI_EMOJI.test(value);
}

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
