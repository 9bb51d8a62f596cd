/**
 * The reactions under a message: one toggle button per emoji with its count (pressed when it is
 * yours; pressing it adds or takes back yours), and "Add reaction", which opens the picker.
 * Follows only this message's reactions.
 */
import type { Message } from '@pneumatic/client';
import { useCallback, useRef, useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { errorText } from '../lib/errors.js';
import { useAtom } from '../lib/use-atom.js';
import { EmojiPicker } from './emoji-picker.js';

export function ReactionBar({ store, message }: { store: ChatStore; message: Message }) {
  const reactions = useAtom(store.reactions(message));
  const [picking, setPicking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);

  const setReaction = (emoji: string, on: boolean) => {
    setError(null);
    store.setReaction(message, emoji, on).catch((e: unknown) => setError(errorText(e)));
  };
  const closePicker = useCallback((refocus: boolean) => {
    setPicking(false);
    if (refocus) addButton.current?.focus();
  }, []);

  return (
    <div class={`reactions${reactions.length > 0 ? ' reactions--some' : ''}`} role="group" aria-label="Reactions">
      {reactions.map(({ emoji, count, mine }) => (
        <button
          key={emoji}
          type="button"
          class={`reaction${mine ? ' reaction--mine' : ''}`}
          aria-pressed={mine}
          aria-label={`${emoji} ${count}`}
          title={mine ? 'Take your reaction back' : `React with ${emoji}`}
          onClick={() => setReaction(emoji, !mine)}
        >
          <span aria-hidden="true">{emoji}</span>
          <span class="reaction__count" aria-hidden="true">
            {count}
          </span>
        </button>
      ))}
      <span class="reactions__picker">
        <button
          ref={addButton}
          type="button"
          class="reaction reaction--add"
          aria-label="Add reaction"
          aria-haspopup="dialog"
          aria-expanded={picking}
          title="Add reaction"
          onClick={() => setPicking(!picking)}
        >
          <span aria-hidden="true">☺+</span>
        </button>
        {picking ? (
          <EmojiPicker
            onClose={closePicker}
            onPick={(emoji) => {
              closePicker(true);
              setReaction(emoji, true);
            }}
          />
        ) : null}
      </span>
      {error ? (
        <p class="message__status message__status--error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
