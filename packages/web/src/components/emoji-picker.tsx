/**
 * The reaction picker: frequent emoji at once, and search by name over the full emoji list,
 * which loads (a chunk of its own) when the picker first opens. A non-modal dialog: focus starts
 * in the search field, Escape or a click outside closes it, and the caller puts focus back.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { FREQUENT_EMOJI, loadEmoji, searchEmoji, type EmojiEntry } from '../lib/emoji/emoji-data.js';

interface EmojiPickerProps {
  onPick: (emoji: string) => void;
  /** `refocus`: closed from the keyboard (Escape), so focus goes back to the button that opened it. */
  onClose: (refocus: boolean) => void;
}

export function EmojiPicker({ onPick, onClose }: EmojiPickerProps) {
  const [query, setQuery] = useState('');
  const [entries, setEntries] = useState<EmojiEntry[] | null>(null);
  const [failed, setFailed] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const search = useRef<HTMLInputElement>(null);

  useEffect(() => {
    search.current?.focus();
    // Below the message: in a scrolled history it may start out of view.
    root.current?.scrollIntoView({ block: 'nearest' });
    let open = true;
    loadEmoji().then(
      (loaded) => open && setEntries(loaded),
      () => open && setFailed(true),
    );
    return () => {
      open = false;
    };
  }, []);

  // A click elsewhere closes it, leaving focus where that click put it.
  useEffect(() => {
    const onPointerDown = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) onClose(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [onClose]);

  const searching = query.trim().length > 0;
  const results = searching && entries ? searchEmoji(entries, query) : null;
  let status = '';
  if (searching && failed) status = 'Emoji search is unavailable right now.';
  else if (searching && !entries) status = 'Loading emoji…';
  else if (results) status = results.length === 0 ? 'No emoji match.' : `${results.length} emoji found.`;

  return (
    <div
      ref={root}
      class="emoji-picker"
      role="dialog"
      aria-label="Choose a reaction"
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.stopPropagation();
        onClose(true);
      }}
    >
      <input
        ref={search}
        type="search"
        class="emoji-picker__search"
        aria-label="Search emoji by name"
        placeholder="Search emoji"
        autocomplete="off"
        value={query}
        onInput={(event) => setQuery(event.currentTarget.value)}
        onKeyDown={(event) => {
          // Enter picks the first match, as in most pickers.
          if (event.key === 'Enter' && results?.[0]) onPick(results[0].emoji);
        }}
      />
      {results ? <EmojiGrid label="Search results" items={results} onPick={onPick} /> : <EmojiGrid label="Frequently used" items={FREQUENT_EMOJI} onPick={onPick} />}
      <p class="emoji-picker__status" role="status">
        {status}
      </p>
    </div>
  );
}

function EmojiGrid({ label, items, onPick }: { label: string; items: readonly Pick<EmojiEntry, 'emoji' | 'name'>[]; onPick: (emoji: string) => void }) {
  return (
    <>
      <p class="emoji-picker__heading" aria-hidden="true">
        {label}
      </p>
      <ul class="emoji-picker__grid" aria-label={label}>
        {items.map((item) => (
          <li key={item.emoji}>
            <button type="button" class="emoji-picker__emoji" aria-label={item.name} title={item.name} onClick={() => onPick(item.emoji)}>
              {item.emoji}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
