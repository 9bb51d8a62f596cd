/**
 * `@username` mentions in message content (docs/API.md, "Mentions"). Parsing is one regex pass,
 * run only when the content has an `@`; resolving names to members is `resolveMentions`.
 */

/** Names that mention every member instead of one user: a user so named cannot be mentioned by name. */
export const MENTION_ALL_NAMES: ReadonlySet<string> = new Set(['all', 'everyone']);

/** At most this many different names of one message are looked up; later ones are plain text. */
export const MENTION_NAMES_MAX = 100;

/** Longer than any username the settings allow (USERNAME_MAX_CHARS ≤ 64): not a mention. */
const NAME_MAX_CHARS = 64;

/**
 * `@` at the start or after a character that is not part of a word (a letter or digit of any
 * script, or `_`: so `ann@example.org` mentions nobody), then the characters a username may
 * have (`A-Z a-z 0-9 _ . -`, USERNAME_PATTERN), as many as there are.
 */
const MENTION = /(?<![\p{L}\p{N}_])@([A-Za-z0-9_.-]+)/gu;

/** The names of a message's mentions, lower-cased (usernames are unique ignoring case). */
export interface MentionNames {
  /** Each name as written, and without trailing `.`/`-` (`@ann.` ends a sentence) when that differs; first appearance first. */
  names: { key: string; trimmed: string | null }[];
  /** `@all` or `@everyone` appears. */
  all: boolean;
}

const NONE: MentionNames = { names: [], all: false };

/** The mentions written in `content`; no work beyond one `indexOf` when it has no `@`. */
export function parseMentions(content: string): MentionNames {
  if (!content.includes('@')) return NONE;
  const seen = new Set<string>();
  const names: MentionNames['names'] = [];
  let all = false;
  for (const match of content.matchAll(MENTION)) {
    const key = match[1]!.toLowerCase();
    if (key.length > NAME_MAX_CHARS || seen.has(key)) continue;
    seen.add(key);
    const trimmed = key.replace(/[.-]+$/, '');
    if (MENTION_ALL_NAMES.has(key) || MENTION_ALL_NAMES.has(trimmed)) {
      all = true;
      continue;
    }
    if (names.length < MENTION_NAMES_MAX) names.push({ key, trimmed: trimmed !== key && trimmed.length > 0 ? trimmed : null });
  }
  return names.length === 0 && !all ? NONE : { names, all };
}

/** Every key worth looking up for these names (each name as written, and trimmed). */
export function lookupKeys(names: MentionNames['names']): string[] {
  const keys = new Set<string>();
  for (const { key, trimmed } of names) {
    keys.add(key);
    if (trimmed !== null) keys.add(trimmed);
  }
  return [...keys];
}

/**
 * The mentioned members' ids, first mention first, no repeats: a name as written wins over its
 * trimmed form; names of users who are not `memberIds` (or of nobody) mention nobody.
 */
export function mentionedMembers(names: MentionNames['names'], idsByKey: ReadonlyMap<string, string>, memberIds: ReadonlySet<string>): string[] {
  const result: string[] = [];
  const added = new Set<string>();
  for (const { key, trimmed } of names) {
    const id = idsByKey.get(key) ?? (trimmed === null ? undefined : idsByKey.get(trimmed));
    if (id === undefined || !memberIds.has(id) || added.has(id)) continue;
    added.add(id);
    result.push(id);
  }
  return result;
}
