/**
 * The emoji a reaction can be, with their English names and keywords, for the picker's search:
 * read once from the lazily loaded emojibase dataset, kept to what the server accepts as a
 * reaction (one fully-qualified RGI emoji, `isReactionEmoji`), in Unicode's order.
 */
import { isReactionEmoji } from '@pneumatic/protocol/reaction-emoji';
import { loadCompactEmoji } from './emoji-source.js';

export interface EmojiEntry {
  emoji: string;
  /** The CLDR name, e.g. "thumbs up". */
  name: string;
  /** Name and keywords, lower case, for matching. */
  search: string;
}

/** The fields of an emojibase CompactEmoji that are used (`annotation` is the name in older datasets). */
interface CompactEmoji {
  unicode?: unknown;
  label?: unknown;
  annotation?: unknown;
  tags?: unknown;
  order?: unknown;
}

let loading: Promise<EmojiEntry[]> | null = null;

/** Every emoji, loaded on first call (a chunk of its own); later calls share the same list. */
export function loadEmoji(): Promise<EmojiEntry[]> {
  loading ??= loadCompactEmoji().then(toEntries, (error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}

/**
 * The form the server accepts: the dataset writes some emoji that are emoji by default with a
 * variation selector (👍 as U+1F44D U+FE0F), which is not their RGI form; null for what is no
 * reaction at all (a lone regional indicator).
 */
export function reactionForm(unicode: string): string | null {
  if (isReactionEmoji(unicode)) return unicode;
  const bare = unicode.replace(/\uFE0F/g, '');
  return isReactionEmoji(bare) ? bare : null;
}

function toEntries(data: unknown): EmojiEntry[] {
  if (!Array.isArray(data)) return [];
  const found: Array<EmojiEntry & { order: number }> = [];
  for (const item of data as CompactEmoji[]) {
    const emoji = typeof item.unicode === 'string' ? reactionForm(item.unicode) : null;
    const name = typeof item.label === 'string' ? item.label : typeof item.annotation === 'string' ? item.annotation : '';
    if (!name || !emoji) continue;
    const tags = Array.isArray(item.tags) ? item.tags.filter((t): t is string => typeof t === 'string') : [];
    const order = typeof item.order === 'number' ? item.order : Number.MAX_SAFE_INTEGER;
    found.push({ emoji, name, search: [name, ...tags].join(' ').toLowerCase(), order });
  }
  // The dataset lists them by code point; Unicode's order keeps faces, hands, animals... together.
  return found.sort((a, b) => a.order - b.order).map(({ emoji, name, search }) => ({ emoji, name, search }));
}

/** The entries whose name or a keyword starts with each word of `query` (all of them when it is blank), at most `limit`. */
export function searchEmoji(entries: readonly EmojiEntry[], query: string, limit = 48): EmojiEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return entries.slice(0, limit);
  const found: EmojiEntry[] = [];
  for (const entry of entries) {
    const terms = entry.search.split(' ');
    if (words.every((word) => terms.some((term) => term.startsWith(word)))) found.push(entry);
    if (found.length >= limit) break;
  }
  return found;
}

/** Offered first, before any data loads: the reactions most chats start with. */
export const FREQUENT_EMOJI: readonly Omit<EmojiEntry, 'search'>[] = [
  { emoji: '👍', name: 'thumbs up' },
  { emoji: '❤️', name: 'red heart' },
  { emoji: '😂', name: 'face with tears of joy' },
  { emoji: '🎉', name: 'party popper' },
  { emoji: '😮', name: 'face with open mouth' },
  { emoji: '😢', name: 'crying face' },
  { emoji: '🙏', name: 'folded hands' },
  { emoji: '👀', name: 'eyes' },
];
