/**
 * Picks people from the directory as you type (docs/API.md, "Finding people"): a name or a
 * username, any part of it, case and accents ignored, lists who matches with their picture,
 * display name and @username. The field is an ARIA combobox with manual selection (WAI-ARIA APG,
 * "Combobox with listbox popup"): focus stays in the field, ↓/↑ move through the list
 * (aria-activedescendant), Enter picks the option moved to (with none, Enter submits the form),
 * Escape closes the list, Backspace in an empty field takes back the last person picked. Text
 * left in the field (usernames, separated by commas) is the form's to resolve. People who are
 * already members (`members`) are listed as such and cannot be picked (aria-disabled; the arrows
 * pass over them).
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
  /** Ids of the people already in the conversation: listed as members, not to be picked. */
  members?: ReadonlySet<string>;
}

/** The part being typed: after the last comma (the ones before it are usernames typed whole). */
const typedPart = (text: string) => text.slice(text.lastIndexOf(',') + 1);

/** What the directory is asked for the part being typed: "@ana" looks for "ana". */
const queryOf = (text: string) => typedPart(text).trim().replace(/^@/, '');

export function PeoplePicker({ store, id, label, hint, error, picked, onPick, onUnpick, text, onText, inputRef, members }: PeoplePickerProps) {
  const [search] = useState(() => new DirectorySearch(async (q) => (await store.client.searchUsers(q, { limit: LIMIT + 1 })).users));
  useEffect(() => () => search.dispose(), [search]);
  const results = useAtom(search.results);
  /** The id of the person moved to: it stays theirs while the results around them change. */
  const [active, setActive] = useState<string | null>(null);
  const [focused, setFocused] = useState(false);
  const [dismissed, setDismissed] = useState(false);
  const listboxId = `${id}-listbox${useId()}`;
  const optionId = (i: number) => `${listboxId}-${i}`;

  const options = results.users.filter((u) => u.id !== store.me.id && !picked.some((p) => p.id === u.id)).slice(0, LIMIT);
  const isMember = (user: User) => members?.has(user.id) ?? false;
  /** The indexes of the options that can be picked. */
  const pickable = options.flatMap((user, i) => (isMember(user) ? [] : [i]));
  const open = focused && !dismissed && options.length > 0;
  const found = options.findIndex((user) => user.id === active);
  const activeIndex = open && found !== -1 && !isMember(options[found]!) ? found : null;

  const type = (value: string) => {
    onText(value);
    setActive(null);
    setDismissed(false);
    search.setQuery(queryOf(value));
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
      if (pickable.length === 0) return;
      const at = activeIndex === null ? -1 : pickable.indexOf(activeIndex);
      const next = at === -1 ? (by > 0 ? 0 : pickable.length - 1) : (at + by + pickable.length) % pickable.length;
      setActive(options[pickable[next]!]!.id);
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

  const typed = queryOf(text);
  const answered = results.status === 'done' && results.query === typed;
  const status = results.status === 'failed' ? results.error : answered && (focused || options.length === 0) ? foundText(typed, options.length, options.length - pickable.length) : '';
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
                class={`people-picker__option${i === activeIndex ? ' people-picker__option--active' : ''}${isMember(user) ? ' people-picker__option--member' : ''}`}
                role="option"
                aria-selected={i === activeIndex}
                aria-disabled={isMember(user) ? 'true' : undefined}
                // Keeps focus in the field.
                onMouseDown={(e) => e.preventDefault()}
                onClick={isMember(user) ? undefined : () => pick(user)}
              >
                <Avatar name={shownName(user)} small src={user.avatar_url ? store.client.resolveUrl(user.avatar_url) : null} />
                <span class="people-picker__name">{shownName(user)}</span>
                <span class="people-picker__handle">@{user.username}</span>
                {user.is_bot ? <span class="tag">bot</span> : null}
                {isMember(user) ? <span class="tag">already a member</span> : null}
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

/** What the search found, for screen readers: "3 people found: use the down arrow to pick." */
function foundText(typed: string, count: number, members: number): string {
  if (count === 0) return `No one found for “${typed}”.`;
  if (members === count) return count === 1 ? `The one person found for “${typed}” is already a member.` : `Everyone found for “${typed}” is already a member.`;
  const already = members > 0 ? `, ${members} already ${members === 1 ? 'a member' : 'members'}` : '';
  return `${count} ${count === 1 ? 'person' : 'people'} found${already}: use the down arrow to pick.`;
}
