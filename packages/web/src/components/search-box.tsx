/**
 * The search box at the top of the sidebar. Ctrl+K (⌘K on a Mac) or "/" (when not typing
 * elsewhere) puts the cursor in it, as its label and aria-keyshortcuts say; Enter searches and
 * opens the results panel.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';

export const SEARCH_INPUT_ID = 'search-input';
const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const SHORTCUT = IS_MAC ? '⌘K' : 'Ctrl+K';

/** Puts the cursor in the search box, with its text selected. */
export function focusSearch(): void {
  const input = document.getElementById(SEARCH_INPUT_ID) as HTMLInputElement | null;
  input?.focus();
  input?.select();
}

/** Typing somewhere "/" is a character: a text field, a text area or editable content. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target instanceof HTMLTextAreaElement || (target instanceof HTMLInputElement && !['button', 'checkbox', 'radio', 'submit'].includes(target.type)) || target instanceof HTMLSelectElement;
}

export function SearchBox({ store }: { store: ChatStore }) {
  const [text, setText] = useState('');
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const k = (e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k';
      const slash = e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !isTyping(e.target);
      if (!k && !slash) return;
      e.preventDefault();
      focusSearch();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  return (
    <form
      role="search"
      class="search-box"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) void store.search.search(text);
      }}
    >
      <label for={SEARCH_INPUT_ID} class="visually-hidden">
        Search messages ({SHORTCUT} or /)
      </label>
      <input
        id={SEARCH_INPUT_ID}
        ref={input}
        type="search"
        class="search-box__input"
        placeholder={`Search messages (${SHORTCUT} or /)`}
        aria-keyshortcuts="Control+K Meta+K /"
        maxLength={2000}
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && text === '') input.current?.blur();
        }}
      />
      <button type="submit" class="button button--ghost button--small">
        Search
      </button>
    </form>
  );
}
