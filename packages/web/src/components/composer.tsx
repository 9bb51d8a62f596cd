/**
 * Writes messages: Enter sends, Shift+Enter starts a new line; the length limit shows before
 * sending. Files attach from the paperclip, a paste or a drop on the conversation; they upload at
 * once, and Send waits until none is still uploading.
 */
import { useRef, useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { contentProblem, limits } from '../lib/limits.js';
import { composerInputId } from '../lib/stores/reply-targets.js';
import { useAtom } from '../lib/use-atom.js';
import { AttachButton, filesOf } from './attach-button.js';
import { PendingAttachments } from './pending-attachments.js';
import { QuoteBar } from './reply-quote.js';
import { useMentionAutocomplete } from './mention-autocomplete.js';

/** Drafts survive switching conversations. */
const drafts = new Map<string, string>();

/** With `threadRootId`, the thread panel's composer: its sends are replies in that thread. */
export function Composer({ store, conversationId, threadRootId }: { store: ChatStore; conversationId: string; threadRootId?: string }) {
  const key = threadRootId ?? conversationId;
  const inputId = composerInputId(threadRootId);
  const [text, setText] = useState(() => drafts.get(key) ?? '');
  const replyTo = useAtom(store.replyTargets.of(key));
  const ref = useRef<HTMLTextAreaElement>(null);
  const currentLimits = useAtom(limits);
  const maxChars = currentLimits.content_max_chars;
  const problem = contentProblem(text, currentLimits);
  const empty = text.trim().length === 0;
  const { items } = useAtom(store.uploads.of(key));
  const uploading = items.some((item) => item.status === 'uploading');
  const canSend = problem === null && !uploading && (!empty || items.some((item) => item.status === 'done'));
  const nearLimit = text.length > maxChars * 0.9;

  const update = (value: string) => {
    setText(value);
    drafts.set(key, value);
  };
  const mention = useMentionAutocomplete({ store, conversationId, text, setText: update, input: ref });

  const send = () => {
    if (!canSend) return;
    const attachments = store.uploads.take(key);
    store.send(conversationId, empty ? '' : text, undefined, { replyToId: replyTo?.message_id, threadRootId, attachments });
    store.replyTargets.set(key, null);
    update('');
    ref.current?.focus();
  };

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <QuoteBar store={store} composerKey={key} threadRootId={threadRootId} />
      <PendingAttachments store={store} composerKey={key} />
      <div class="composer__row">
        <AttachButton label={threadRootId ? 'Attach files to the reply' : 'Attach files'} onFiles={(files) => store.uploads.add(key, files)} />
        <textarea
          ref={ref}
          id={inputId}
          class="composer__input"
          aria-label={threadRootId ? 'Reply in thread' : 'Message'}
          {...mention.fieldProps}
          aria-invalid={problem ? 'true' : undefined}
          aria-describedby={`${inputId}-status`}
          placeholder={threadRootId ? 'Reply in thread…' : 'Write a message…'}
          rows={1}
          value={text}
          onInput={(e) => {
            update(e.currentTarget.value);
            mention.onCaret();
            if (e.currentTarget.value.trim()) store.typed(conversationId);
          }}
          onClick={mention.onCaret}
          onPaste={(e) => {
            // A pasted image (a screenshot) attaches; pasted text stays text.
            const files = filesOf(e.clipboardData, { ignoreWithText: true });
            if (files.length === 0) return;
            e.preventDefault();
            store.uploads.add(key, files);
          }}
          onKeyUp={mention.onCaret}
          onKeyDown={(e) => {
            if (mention.onKeyDown(e)) return;
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              send();
            }
          }}
        />
        <button type="submit" class="button button--primary composer__send" disabled={!canSend}>
          Send
        </button>
      </div>
      {mention.listbox}
      <div id={`${inputId}-status`} class={`composer__status${problem ? ' composer__status--error' : ''}`}>
        {problem ??
          (nearLimit ? `${text.length} / ${maxChars} characters` : uploading ? 'Uploading… Send is ready once every file is uploaded.' : <span class="composer__tip">Enter to send · Shift+Enter for a new line</span>)}
      </div>
    </form>
  );
}
