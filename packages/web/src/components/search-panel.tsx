/**
 * Search results, in the sidebar in place of the conversation list while a search is open: each
 * result labelled with its conversation, sender and time, its snippet with the matched words
 * marked; filters (where, from whom, which order) that search again; "More results" for the next
 * page. Opening a result shows the message in its conversation, history around it, highlighted
 * (a thread reply in its thread). Escape or "Close" goes back to the conversations.
 */
import type { Message, SearchResult } from '@pneumatic/client';
import { useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { errorText } from '../lib/errors.js';
import { conversationName, shortWhen } from '../lib/format.js';
import type { SearchFilters, SearchOrder, SearchView } from '../lib/stores/search-store.js';
import { useAtom } from '../lib/use-atom.js';
import { navigate } from '../lib/use-route.js';
import { focusSearch } from './search-box.js';
import { SearchSnippet } from './search-snippet.js';

const resultId = (index: number) => `search-result-${index}`;

export function SearchPanel({ store, currentConversationId }: { store: ChatStore; currentConversationId: string | null }) {
  const view = useAtom(store.search.view);
  const [error, setError] = useState<string | null>(null);

  const close = () => {
    store.search.close();
    focusSearch();
  };
  const refine = (change: Partial<SearchFilters>) => void store.search.search(view.query, { ...view.filters, ...change });
  const more = () => {
    const first = view.results.length;
    // The button may go with the last page: focus moves to the first new result.
    void store.search.more().then(() => document.getElementById(resultId(first))?.focus());
  };
  const open = (message: Message) => {
    setError(null);
    store.messages.jump(message.conversation_id, message.seq).then(
      () => {
        navigate({ kind: 'conversation', id: message.conversation_id });
        if (message.thread_root_id) store.threads.open(message.conversation_id, message.thread_root_id);
      },
      (e: unknown) => setError(errorText(e)),
    );
  };

  return (
    <section
      class="search"
      aria-labelledby="search-heading"
      onKeyDown={(e) => {
        if (e.key === 'Escape') close();
      }}
    >
      <header class="search__header">
        <h2 id="search-heading">Search results</h2>
        <button type="button" class="button button--ghost button--small" onClick={close}>
          Close
        </button>
      </header>
      <SearchFiltersForm store={store} view={view} currentConversationId={currentConversationId} onChange={refine} />
      <p class="search__status" role="status">
        {statusText(view)}
      </p>
      {view.error || error ? (
        <p class="message__status message__status--error" role="alert">
          {view.error ?? error}
        </p>
      ) : null}
      <ul class="search__results" aria-label="Search results">
        {view.results.map((result, i) => (
          <li key={result.message.message_id}>
            <ResultButton store={store} result={result} id={resultId(i)} onOpen={open} />
          </li>
        ))}
      </ul>
      {view.nextCursor !== null ? (
        <button type="button" class="button button--ghost button--small search__more" onClick={more} disabled={view.status === 'loading'}>
          {view.status === 'loading' ? 'Loading…' : 'More results'}
        </button>
      ) : null}
    </section>
  );
}

function ResultButton({ store, result, id, onOpen }: { store: ChatStore; result: SearchResult; id: string; onOpen: (message: Message) => void }) {
  const { message } = result;
  const conversation = useAtom(store.conversations.conversation(message.conversation_id));
  const where = conversation ? conversationName(conversation, store.me) : 'A conversation';
  const sender = message.sender_id === store.me.id ? 'You' : store.users.name(message.sender_id);
  return (
    <button type="button" id={id} class="search__result" onClick={() => onOpen(message)}>
      <span class="search__meta">
        <span class="search__where">{where}</span>
        {message.thread_root_id ? <span class="search__thread"> · in a thread</span> : null}
        <span class="search__sender"> · {sender}</span> · <time dateTime={message.created_at}>{shortWhen(message.created_at)}</time>
      </span>
      <SearchSnippet text={result.snippet} highlights={result.highlights} />
    </button>
  );
}

function SearchFiltersForm(props: { store: ChatStore; view: SearchView; currentConversationId: string | null; onChange: (change: Partial<SearchFilters>) => void }) {
  const { store, view, currentConversationId, onChange } = props;
  const { filters } = view;
  const conversations = useAtom(store.conversations.list);
  const nameOf = (id: string) => {
    const entry = conversations.find((e) => e.conversation.id === id);
    return entry ? conversationName(entry.conversation, store.me) : 'this conversation';
  };
  const places = [...new Set([currentConversationId, filters.conversationId].filter((id): id is string => id !== null))];
  const people = new Map<string, string>();
  for (const { conversation } of conversations) for (const m of conversation.members) people.set(m.user_id, m.user_id === store.me.id ? 'You' : m.username);
  const sortedPeople = [...people].sort((a, b) => a[1].localeCompare(b[1]));
  return (
    <div class="search__filters">
      <label class="search__filter">
        <span>In</span>
        <select value={filters.conversationId ?? ''} onChange={(e) => onChange({ conversationId: e.currentTarget.value || null })}>
          <option value="">All conversations</option>
          {places.map((id) => (
            <option key={id} value={id}>
              {id === currentConversationId ? `This conversation (${nameOf(id)})` : nameOf(id)}
            </option>
          ))}
        </select>
      </label>
      <label class="search__filter">
        <span>From</span>
        <select value={filters.senderId ?? ''} onChange={(e) => onChange({ senderId: e.currentTarget.value || null })}>
          <option value="">Anyone</option>
          {sortedPeople.map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label class="search__filter">
        <span>Order</span>
        <select value={filters.order} onChange={(e) => onChange({ order: e.currentTarget.value as SearchOrder })}>
          <option value="relevance">Best match</option>
          <option value="recent">Newest first</option>
        </select>
      </label>
    </div>
  );
}

function statusText(view: SearchView): string {
  if (view.status === 'loading' && view.results.length === 0) return 'Searching…';
  if (view.status === 'idle') return 'Type words to find, then press Enter.';
  if (view.status === 'error') return '';
  const n = view.results.length;
  if (n === 0) return `No messages match “${view.query}”.`;
  return `${n} result${n === 1 ? '' : 's'} for “${view.query}”${view.nextCursor !== null ? ', more available' : ''}.`;
}
