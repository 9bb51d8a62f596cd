/**
 * Editing your own message in place: Enter or Save keeps it, Escape or Cancel backs out, and
 * `@` lists the conversation's members to mention, as in the composer (the list opens under
 * the field; Escape with it open closes only the list).
 */
import type { Message } from '@pneumatic/client';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { contentProblem, limits } from '../lib/limits.js';
import { useAtom } from '../lib/use-atom.js';
import { useMentionAutocomplete } from './mention-autocomplete.js';

/** `onDone(null)`: cancelled; otherwise the new content (perhaps unchanged). */
export function EditForm({ store, message, onDone }: { store: ChatStore; message: Message; onDone: (content: string | null) => void }) {
  const [text, setText] = useState(message.content);
  const input = useRef<HTMLTextAreaElement>(null);
  const listArea = useRef<HTMLDivElement>(null);
  const currentLimits = useAtom(limits);
  const mention = useMentionAutocomplete({ store, conversationId: message.conversation_id, text, setText, input });
  const listOpen = mention.listbox !== null;
  useEffect(() => input.current?.focus(), []);
  // The list may open below the visible part of the history (the last message's edit box).
  useEffect(() => {
    if (listOpen) listArea.current?.scrollIntoView({ block: 'nearest' });
  }, [listOpen]);
  const problem = contentProblem(text, currentLimits);
  const invalid = problem !== null || text.trim().length === 0;
  return (
    <form
      class="message__edit"
      onSubmit={(e) => {
        e.preventDefault();
        if (!invalid) onDone(text);
      }}
    >
      <textarea
        aria-label="Edit text"
        {...mention.fieldProps}
        value={text}
        rows={2}
        ref={input}
        onInput={(e) => {
          setText(e.currentTarget.value);
          mention.onCaret();
        }}
        onClick={mention.onCaret}
        onKeyUp={mention.onCaret}
        onKeyDown={(e) => {
          // The list's keys first: its Enter inserts a member and its Escape closes only the list.
          if (mention.onKeyDown(e)) return;
          if (e.key === 'Escape') onDone(null);
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            if (!invalid) onDone(text);
          }
        }}
      />
      <div class="message__edit-mentions" ref={listArea}>
        {mention.listbox}
      </div>
      {problem ? <p class="message__status message__status--error">{problem}</p> : null}
      <div class="message__edit-actions">
        <button type="submit" class="button button--primary button--tiny" disabled={invalid}>
          Save
        </button>
        <button type="button" class="button button--ghost button--tiny" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
