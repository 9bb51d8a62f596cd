/**
 * `@username` mentions as the app sees them (docs/API.md, "Mentions"): which part of a message's
 * text is a mention the server resolved (to highlight it), and which `@…` the caret is in while
 * composing (to offer members). The server decides what a mention is; the same reading rules
 * apply here so that what is highlighted is what the server counted.
 *
 * No DOM types: components/formatted-text.ts imports this and is type-checked with the server's settings.
 */

/** `@all` and `@everyone` mention every member (a user so named cannot be mentioned by name). */
export const MENTION_ALL_NAMES: ReadonlySet<string> = new Set(['all', 'everyone']);

/**
 * The server's default MENTION_ALL_MAX_MEMBERS: above it only owners and admins may mention everyone. The
 * server does not publish its setting, so this only decides whether `@all` is offered; the
 * server still refuses (403 mention_all_forbidden) if its setting is lower.
 */
export const MENTION_ALL_MAX_MEMBERS = 20;

/** A word character before `@` makes it part of an address (`ann@example.org`), not a mention. */
const WORD_CHAR = /[\p{L}\p{N}_]/u;
const NAME = /^[A-Za-z0-9_.-]+/;
/** `@ann.` ending a sentence mentions ann (unless someone is called `ann.`). */
const TRAILING_PUNCTUATION = /[.-]+$/;

/** What a message mentions: lower-cased usernames (true: it is you), and whether it mentions everyone. */
export interface MentionTargets {
  names: ReadonlyMap<string, boolean>;
  all: boolean;
}

/** A mention in text: `strong` when it mentions you (by name or as everyone). */
export interface MentionPiece {
  mention: string;
  strong: boolean;
}

/**
 * Splits `text` into plain strings and the mentions of `targets`, in order. `@` at the start of
 * `text` counts as after a boundary (the text may follow an element, e.g. bold, in the message).
 */
export function splitMentions(text: string, targets: MentionTargets): Array<string | MentionPiece> {
  const pieces: Array<string | MentionPiece> = [];
  let plainFrom = 0;
  let at = text.indexOf('@');
  while (at !== -1) {
    const name = at > 0 && WORD_CHAR.test(text[at - 1]!) ? undefined : NAME.exec(text.slice(at + 1))?.[0];
    const resolved = name === undefined ? null : resolve(name, targets);
    if (resolved) {
      if (at > plainFrom) pieces.push(text.slice(plainFrom, at));
      pieces.push({ mention: `@${resolved.name}`, strong: resolved.strong });
      plainFrom = at + 1 + resolved.name.length;
    }
    at = text.indexOf('@', name === undefined ? at + 1 : at + 1 + name.length);
  }
  if (plainFrom < text.length) pieces.push(text.slice(plainFrom));
  return pieces;
}

/** The name as written (or without its trailing `.`/`-`) if the message mentions it. */
function resolve(name: string, targets: MentionTargets): { name: string; strong: boolean } | null {
  for (const candidate of [name, name.replace(TRAILING_PUNCTUATION, '')]) {
    const key = candidate.toLowerCase();
    if (!key) continue;
    if (MENTION_ALL_NAMES.has(key)) return targets.all ? { name: candidate, strong: true } : null;
    const me = targets.names.get(key);
    if (me !== undefined) return { name: candidate, strong: me };
  }
  return null;
}

/** The `@…` being typed at the caret: where its `@` is, and the letters after it so far. */
export interface MentionQuery {
  start: number;
  query: string;
}

/** The mention the caret is at the end of, or null (the caret is elsewhere, or the `@` is part of an address). */
export function mentionQueryAt(text: string, caret: number): MentionQuery | null {
  let start = caret;
  while (start > 0 && /[A-Za-z0-9_.-]/.test(text[start - 1]!)) start--;
  if (start === 0 || text[start - 1] !== '@') return null;
  const at = start - 1;
  if (at > 0 && WORD_CHAR.test(text[at - 1]!)) return null;
  return { start: at, query: text.slice(start, caret) };
}

export interface MentionCandidate {
  username: string;
  /** `@all`: says whom it notifies. */
  everyone: boolean;
}

/**
 * Members whose username starts with the query (ignoring case), then those that contain it, by
 * name; you are not offered. `@all` comes last when it matches and you may use it.
 */
export function mentionCandidates(usernames: readonly string[], query: string, offerAll: boolean, limit = 8): MentionCandidate[] {
  const q = query.toLowerCase();
  const sorted = [...usernames].sort((a, b) => a.localeCompare(b));
  const starts = sorted.filter((u) => u.toLowerCase().startsWith(q));
  const contains = q ? sorted.filter((u) => !u.toLowerCase().startsWith(q) && u.toLowerCase().includes(q)) : [];
  const found: MentionCandidate[] = [...starts, ...contains].filter((u) => !MENTION_ALL_NAMES.has(u.toLowerCase())).map((username) => ({ username, everyone: false }));
  const all = offerAll && 'all'.startsWith(q) ? [{ username: 'all', everyone: true }] : [];
  return [...found.slice(0, limit - all.length), ...all];
}

/** Whether the server's policy lets you mention everyone: owners and admins always, others in small conversations. */
export function mayMentionAll(role: string | undefined, memberCount: number): boolean {
  return role === 'owner' || role === 'admin' || memberCount <= MENTION_ALL_MAX_MEMBERS;
}
