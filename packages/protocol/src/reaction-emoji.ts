/**
 * What counts as a reaction (docs/API.md, "Reactions"), in a module of its own without TypeBox, so
 * the web app's first-load bundle can check an emoji without the wire schemas
 * (`@pneumatic/protocol/reaction-emoji`).
 */

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
