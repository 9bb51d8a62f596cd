/**
 * The search corpus (search-corpus.ts) loaded into a running server through the API, as users
 * would: six people, three conversations, every message sent with POST /messages, then the
 * edits, deletes and erin's leaving. Returns the model the expectations are computed from
 * (search-expectations.ts) and small helpers to search as someone.
 */
import { randomUUID } from 'node:crypto';
import { registerUsers, type ApiResponse, type TestUser } from './api-client.js';
import { CONVERSATIONS, CORPUS, OWNER, PEOPLE, type ConversationKey, type Person } from './search-corpus.js';
import { withUsernames, type ModelMessage, type SearchModel } from './search-expectations.js';
import type { TestServer } from './server.js';

export interface SearchWorld {
  users: Record<Person, TestUser>;
  conversations: Record<ConversationKey, string>;
  model: SearchModel;
  /** Corpus key → message id, and back. */
  idOf: Record<string, string>;
  keyOf(id: string): string;
  /** GET /search/messages as this person; `from:name` in q becomes their username. */
  search(as: Person, params: SearchParams): Promise<ApiResponse>;
  /** Every page (following next_cursor), as message ids in the order given. */
  searchAll(as: Person, params: SearchParams): Promise<{ ids: string[]; pages: any[] }>;
}

export type SearchParams = Record<string, string | number | undefined>;

export function searchPath(params: SearchParams): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) query.set(name, String(value));
  return `/search/messages?${query.toString()}`;
}

export async function loadSearchWorld(server: TestServer): Promise<SearchWorld> {
  const list = await registerUsers(server.url, ...PEOPLE);
  const users = Object.fromEntries(PEOPLE.map((p, i) => [p, list[i]!])) as Record<Person, TestUser>;
  const conversations = {} as Record<ConversationKey, string>;
  for (const [key, people] of Object.entries(CONVERSATIONS) as [ConversationKey, readonly Person[]][]) {
    const owner = users[OWNER[key]];
    const others = people.filter((p) => p !== OWNER[key]).map((p) => users[p].user.id);
    const created = await owner.api.post('/conversations', { title: `search ${key}`, member_ids: others });
    if (created.status !== 201) throw new Error(`create ${key}: ${created.status} ${JSON.stringify(created.body)}`);
    conversations[key] = created.body.id;
  }
  const idOf: Record<string, string> = {};
  const messages: ModelMessage[] = [];
  // One at a time: created_at grows with the list, as the model says.
  for (const entry of CORPUS) {
    const body: Record<string, unknown> = { message_id: randomUUID(), conversation_id: conversations[entry.conv], content: entry.text };
    if (entry.threadRoot) body.thread_root_id = idOf[entry.threadRoot];
    const sent = await users[entry.by].api.post('/messages', body);
    if (sent.status !== 201) throw new Error(`send ${entry.key}: ${sent.status} ${JSON.stringify(sent.body)}`);
    idOf[entry.key] = sent.body.message_id;
    messages.push({ key: entry.key, id: sent.body.message_id, conv: entry.conv, by: entry.by, content: entry.text, createdAt: sent.body.created_at, stored: messages.length, deleted: false });
  }
  for (const entry of CORPUS) {
    const message = messages.find((m) => m.key === entry.key)!;
    const api = users[entry.by].api;
    if (entry.editTo !== undefined) {
      const edited = await api.patch(`/messages/${message.id}`, { content: entry.editTo });
      if (edited.status !== 200) throw new Error(`edit ${entry.key}: ${edited.status}`);
      message.content = entry.editTo;
    }
    if (entry.deleted) {
      const deleted = await api.delete(`/messages/${message.id}`);
      if (deleted.status !== 204) throw new Error(`delete ${entry.key}: ${deleted.status}`);
      message.content = '';
      message.deleted = true;
    }
  }
  const left = await users.erin.api.delete(`/conversations/${conversations.c1}/members/${users.erin.user.id}`);
  if (left.status !== 204) throw new Error(`erin leaving c1: ${left.status}`);
  const members = Object.fromEntries(Object.entries(CONVERSATIONS).map(([key, people]) => [key, new Set<Person>(people)])) as Record<ConversationKey, Set<Person>>;
  members.c1.delete('erin');
  const usernames = Object.fromEntries(PEOPLE.map((p) => [p, users[p].user.username])) as Record<Person, string>;
  const keyById = new Map(Object.entries(idOf).map(([key, id]) => [id, key]));

  const search = (as: Person, params: SearchParams) => {
    const q = typeof params.q === 'string' ? withUsernames(params.q, usernames) : params.q;
    return users[as].api.get(searchPath({ ...params, q }));
  };
  const searchAll = async (as: Person, params: SearchParams) => {
    const ids: string[] = [];
    const pages: any[] = [];
    let cursor: string | undefined;
    do {
      const response = await search(as, { ...params, cursor });
      if (response.status !== 200) throw new Error(`search ${JSON.stringify(params)} as ${as}: ${response.status} ${JSON.stringify(response.body)}`);
      pages.push(response.body);
      ids.push(...response.body.results.map((r: { message: { message_id: string } }) => r.message.message_id));
      cursor = response.body.next_cursor ?? undefined;
      if (pages.length > 200) throw new Error('more than 200 pages: the cursor does not advance');
    } while (cursor !== undefined);
    return { ids, pages };
  };
  return {
    users,
    conversations,
    model: { messages, members, usernames },
    idOf,
    keyOf: (id) => keyById.get(id) ?? id,
    search,
    searchAll,
  };
}
