/**
 * What a search must answer, computed from the reference definition (src/domain/search/
 * reference-match.ts) over a model of the corpus: who is a member of what now, each message's
 * current text, which are deleted. Correct by construction: it shares no code with any provider,
 * only the parser and the definition every provider must agree with.
 */
import { AppError } from '../../src/domain/errors.js';
import { queryMatches } from '../../src/domain/search/reference-match.js';
import { parseSearchQuery, type ParsedQuery } from '../../src/domain/search/search-query.js';
import type { ConversationKey, Person } from './search-corpus.js';

export interface ModelMessage {
  key: string;
  id: string;
  conv: ConversationKey;
  by: Person;
  /** The current text ('' once deleted, as the store keeps it). */
  content: string;
  createdAt: string;
  /** Its place in the order the server stored the messages (they are sent one at a time). */
  stored: number;
  deleted: boolean;
}

export interface SearchModel {
  messages: ModelMessage[];
  /** Members now. */
  members: Record<ConversationKey, Set<Person>>;
  usernames: Record<Person, string>;
}

export interface ExpectedFilters {
  conv?: ConversationKey;
  sender?: Person;
  /** ISO instants, strict bounds. */
  before?: string;
  after?: string;
}

export type Expected = { error: string; keys?: undefined } | { keys: string[]; error?: undefined };

/** The parsed query, or the code of the 400 the parser answers with. */
export function parseOrCode(q: string): ParsedQuery | string {
  try {
    return parseSearchQuery(q);
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

/**
 * How `recent` orders messages with the same created_at (docs/API.md, "Order and paging"):
 * PostgreSQL by message id, SQLite the later stored first. Both descending.
 */
export type TieOrder = 'message_id' | 'stored';

export const tieOrderOf = (dialect: string): TieOrder => (dialect === 'sqlite' ? 'stored' : 'message_id');

/**
 * The keys `as` finds with `q`, newest first (created_at desc, then `ties` desc: the `recent`
 * order), or the parser's error code.
 */
export function expectedSearch(model: SearchModel, as: Person, q: string, filters: ExpectedFilters = {}, ties: TieOrder = 'message_id'): Expected {
  const parsed = parseOrCode(q);
  if (typeof parsed === 'string') return { error: parsed };
  let sender: Person | undefined = filters.sender;
  if (parsed.from !== null) {
    const named = (Object.keys(model.usernames) as Person[]).find((p) => model.usernames[p].toLowerCase() === parsed.from!.toLowerCase());
    // An unknown sender, or one that disagrees with sender_id, finds nothing.
    if (named === undefined || (sender !== undefined && sender !== named)) return { keys: [] };
    sender = named;
  }
  const hits = model.messages.filter(
    (message) =>
      !message.deleted &&
      model.members[message.conv].has(as) &&
      (filters.conv === undefined || message.conv === filters.conv) &&
      (sender === undefined || message.by === sender) &&
      (filters.before === undefined || message.createdAt < filters.before) &&
      (filters.after === undefined || message.createdAt > filters.after) &&
      queryMatches(parsed, message.content),
  );
  return { keys: newestFirst(hits, ties).map((message) => message.key) };
}

export function newestFirst(messages: ModelMessage[], ties: TieOrder = 'message_id'): ModelMessage[] {
  const tie = (a: ModelMessage, b: ModelMessage) => (ties === 'stored' ? b.stored - a.stored : a.id < b.id ? 1 : -1);
  return [...messages].sort((a, b) => (a.createdAt === b.createdAt ? tie(a, b) : a.createdAt < b.createdAt ? 1 : -1));
}

/** `from:name` / `from:@name` with the person's username in place of their name. */
export function withUsernames(q: string, usernames: Record<Person, string>): string {
  return q.replace(/\bfrom:(@?)(\w+)/gu, (whole, at: string, name: string) => (name in usernames ? `from:${at}${usernames[name as Person]}` : whole));
}
