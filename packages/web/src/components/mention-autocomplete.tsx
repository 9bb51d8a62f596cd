/**
 * `@` autocomplete for a text field (the composers, a message's edit box): typing `@` and
 * letters lists the matching members of the conversation, each with their display name (and
 * `@all` when you may use it). The field is an ARIA combobox (WAI-ARIA APG, "Combobox with
 * listbox popup"): focus stays in the field, ↑/↓ move the active option
 * (aria-activedescendant), Enter or Tab inserts `@username `, Escape closes the list.
 */
import type { JSX, RefObject, TextareaHTMLAttributes } from 'preact';
import { useId, useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { mayMentionAll, mentionCandidates, mentionQueryAt, type MentionCandidate } from '../lib/mentions.js';
import { useAtom } from '../lib/use-atom.js';


interface Options {
  store: ChatStore;
  conversationId: string;
  text: string;
  setText: (text: string) => void;
  input: RefObject<HTMLTextAreaElement | null>;
}

export interface MentionAutocomplete {
  /** ARIA attributes for the field. */
  fieldProps: TextareaHTMLAttributes<HTMLTextAreaElement>;
  /** Call first in the field's keydown; true when the key was the list's (the caller does nothing more). */
  onKeyDown: (event: KeyboardEvent) => boolean;
  /** The caret moved (input, click, arrow keys). */
  onCaret: () => void;
  /** The list, or null when closed. */
  listbox: JSX.Element | null;
}

export function useMentionAutocomplete({ store, conversationId, text, setText, input }: Options): MentionAutocomplete {
  const conversation = useAtom(store.conversations.conversation(conversationId));
  // Unique per field: a thread's composer may be on screen beside the conversation's.
  const listboxId = `mention-listbox${useId()}`;
  const optionId = (i: number) => `${listboxId}-option-${i}`;
  const [caret, setCaret] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  /** The `@` position Escape closed the list at: it stays closed until another `@` is typed. */
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);

  const query = caret === null ? null : mentionQueryAt(text, caret);
  const members = conversation?.members ?? [];
  const myRole = members.find((m) => m.user_id === store.me.id)?.role;
  const usernames = members.filter((m) => m.user_id !== store.me.id).map((m) => m.username);
  const displayNames = new Map(members.map((m) => [m.username, m.display_name]));
  const candidates = query && query.start !== dismissedAt ? mentionCandidates(usernames, query.query, mayMentionAll(myRole, members.length)) : [];
  const open = candidates.length > 0;
  const activeIndex = Math.min(active, candidates.length - 1);

  const onCaret = () => {
    const el = input.current;
    const next = el && el.selectionStart === el.selectionEnd ? el.selectionStart : null;
    // Out of the dismissed `@…`: a new one opens the list again.
    if (el && (next === null || mentionQueryAt(el.value, next) === null)) setDismissedAt(null);
    if (next === caret) return;
    setCaret(next);
    setActive(0);
  };

  const insert = (candidate: MentionCandidate) => {
    const el = input.current;
    if (!query || caret === null || !el) return;
    const inserted = `@${candidate.username} `;
    const next = text.slice(0, query.start) + inserted + text.slice(caret);
    const position = query.start + inserted.length;
    setText(next);
    setCaret(position);
    setActive(0);
    // After Preact has written the new value into the field.
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(position, position);
      setCaret(position);
    });
  };

  const onKeyDown = (event: KeyboardEvent): boolean => {
    if (!open || event.isComposing) return false;
    const move = (to: number) => {
      event.preventDefault();
      setActive((to + candidates.length) % candidates.length);
      return true;
    };
    switch (event.key) {
      case 'ArrowDown':
        return move(activeIndex + 1);
      case 'ArrowUp':
        return move(activeIndex - 1);
      case 'Enter':
      case 'Tab':
        if (event.shiftKey) return false;
        event.preventDefault();
        insert(candidates[activeIndex]!);
        return true;
      case 'Escape':
        event.preventDefault();
        // The Escape is the list's: it does not also close a panel around the field.
        event.stopPropagation();
        setDismissedAt(query?.start ?? null);
        return true;
      default:
        return false;
    }
  };

  const fieldProps: TextareaHTMLAttributes<HTMLTextAreaElement> = {
    // The APG combobox on a multi-line field (as chat apps do): ARIA in HTML and Preact's types
    // allow only `textbox` on <textarea>, but a screen reader needs `combobox` to follow the list.
    role: 'combobox' as 'textbox',
    'aria-autocomplete': 'list',
    'aria-expanded': open,
    // Only while the list exists: an id reference must name an element in the page.
    'aria-controls': open ? listboxId : undefined,
    'aria-activedescendant': open ? optionId(activeIndex) : undefined,
  };

  const listbox = open ? (
    <ul id={listboxId} class="mention-list" role="listbox" aria-label="Members to mention">
      {candidates.map((candidate, i) => (
        <li
          key={candidate.username}
          id={optionId(i)}
          class={`mention-list__option${i === activeIndex ? ' mention-list__option--active' : ''}`}
          role="option"
          aria-selected={i === activeIndex}
          // Keeps focus (and the caret) in the field.
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => insert(candidate)}
        >
          <span class="mention-list__name">@{candidate.username}</span>
          {displayNames.get(candidate.username) ? <span class="mention-list__note">{displayNames.get(candidate.username)}</span> : null}
          {candidate.everyone ? <span class="mention-list__note">notifies everyone here</span> : null}
        </li>
      ))}
    </ul>
  ) : null;

  return { fieldProps, onKeyDown, onCaret, listbox };
}
