/**
 * Picks people from the directory as you type (docs/API.md, "Finding people"): a name or a
 * username, any part of it, case and accents ignored, lists who matches with their picture,
 * display name and @username. The field is an ARIA combobox with manual selection (WAI-ARIA APG,
 * "Combobox with listbox popup"): focus stays in the field, ↓/↑ move through the list
 * (aria-activedescendant), Enter picks the option moved to (with none, Enter submits the form),
 * Escape closes the list, Backspace in an empty field takes back the last person picked. Text
 * left in the field (usernames, separated by commas) is the form's to resolve.
 */
import type { User } from '@pneumatic/client';
import type { Ref } from 'preact';
import { useEffect, useId, useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { DirectorySearch } from '../lib/directory-search.js';
import { useAtom } from '../lib/use-atom.js';
import { Avatar } from './avatar.js';
import { shownName } from './user-profile.js';

/** Options listed at most. */
const LIMIT = 8;

interface PeoplePickerProps {
  store: ChatStore;
  id: string;
  label: string;
  hint: string;
  error?: string | null;
  picked: readonly User[];
  onPick: (user: User) => void;
  onUnpick: (user: User) => void;
  /** What is typed in the field. */
  text: string;
  onText: (text: string) => void;
  inputRef?: Ref<HTMLInputElement>;
}

/** The part being typed: after the last comma (the ones before it are usernames typed whole). */
const typedPart = (text: string) => text.slice(text.lastIndexOf(',') + 1);

export function PeoplePicker({ store, id, label, hint, error, picked, onPick, onUnpick, text, onText, inputRef }: PeoplePickerProps) {
  const [search] = useState(() => new DirectorySearch(async (q) => (await store.client.searchUsers(q, { limit: LIMIT + 1 })).users));
  useEffect(() => () => search.dispose(), [search]);
  const results = useAtom(search.results);
  const [active, setActive] = useState<number | null>(null);
  const [focused, setFocused] = useState(false);
  const [dismissed, setDismissed] = useState(false);
  const listboxId = `${id}-listbox${useId()}`;
  const optionId = (i: number) => `${listboxId}-${i}`;

  const options = results.users.filter((u) => u.id !== store.me.id && !picked.some((p) => p.id === u.id)).slice(0, LIMIT);
  const open = focused && !dismissed && options.length > 0;
  const activeIndex = open && active !== null ? Math.min(active, options.length - 1) : null;

  const type = (value: string) => {
    onText(value);
    setActive(null);
    setDismissed(false);
    search.setQuery(typedPart(value));
  };

  const pick = (user: User) => {
    onPick(user);
    type(text.slice(0, text.length - typedPart(text).length));
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.isComposing) return;
    const move = (by: number) => {
      event.preventDefault();
      setDismissed(false);
      if (options.length > 0) setActive(activeIndex === null ? (by > 0 ? 0 : options.length - 1) : (activeIndex + by + options.length) % options.length);
    };
    if (event.key === 'ArrowDown') return move(1);
    if (event.key === 'ArrowUp') return move(-1);
    if (event.key === 'Enter' && activeIndex !== null) {
      event.preventDefault();
      return pick(options[activeIndex]!);
    }
    if (event.key === 'Escape' && open) {
      // The list's Escape: it does not also leave the form.
      event.preventDefault();
      event.stopPropagation();
      setDismissed(true);
      setActive(null);
    }
    if (event.key === 'Backspace' && text === '' && picked.length > 0) onUnpick(picked[picked.length - 1]!);
  };

  const typed = typedPart(text).trim();
  const found = results.status === 'done' && results.query === typed ? options.length : null;
  const status = results.status === 'failed' ? results.error : found === 0 ? `No one found for “${typed}”.` : found !== null && focused ? `${found} ${found === 1 ? 'person' : 'people'} found: use the down arrow to pick.` : '';
  const describedBy = [error ? `${id}-error` : `${id}-hint`, `${id}-status`].join(' ');

  return (
    <div class={`field people-picker${error ? ' field--invalid' : ''}`}>
      <label for={id}>{label}</label>
      {picked.length > 0 ? (
        <ul class="people-picker__picked" aria-label="People picked">
          {picked.map((user) => (
            <li key={user.id} class="people-picker__chip">
              <Avatar name={shownName(user)} small src={user.avatar_url ? store.client.resolveUrl(user.avatar_url) : null} />
              <span>{shownName(user)}</span>
              <button type="button" class="button button--ghost button--icon people-picker__remove" aria-label={`Remove ${shownName(user)}`} onClick={() => onUnpick(user)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div class="people-picker__box">
        <input
          id={id}
          ref={inputRef}
          type="text"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={open ? listboxId : undefined}
          aria-activedescendant={activeIndex !== null ? optionId(activeIndex) : undefined}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={describedBy}
          autocomplete="off"
          autocapitalize="none"
          spellcheck={false}
          value={text}
          onInput={(e) => type(e.currentTarget.value)}
          onKeyDown={onKeyDown}
          onFocus={() => setFocused(true)}
          onBlur={() => setFocused(false)}
        />
        {open ? (
          <ul id={listboxId} class="people-picker__list" role="listbox" aria-label="People found">
            {options.map((user, i) => (
              <li
                key={user.id}
                id={optionId(i)}
                class={`people-picker__option${i === activeIndex ? ' people-picker__option--active' : ''}`}
                role="option"
                aria-selected={i === activeIndex}
                // Keeps focus in the field.
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => pick(user)}
              >
                <Avatar name={shownName(user)} small src={user.avatar_url ? store.client.resolveUrl(user.avatar_url) : null} />
                <span class="people-picker__name">{shownName(user)}</span>
                <span class="people-picker__handle">@{user.username}</span>
                {user.is_bot ? <span class="tag">bot</span> : null}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      {error ? (
        <p id={`${id}-error`} class="field__error">
          {error}
        </p>
      ) : (
        <p id={`${id}-hint`} class="field__hint">
          {hint}
        </p>
      )}
      <p id={`${id}-status`} class="people-picker__status" role="status">
        {status}
      </p>
    </div>
  );
}
