/**
 * Renaming a group (owners and admins): the form that takes the title's place in the conversation
 * header. It takes focus when it opens; Escape or Cancel closes it unchanged.
 */
import type { Conversation } from '@pneumatic/client';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { describeError, type FormErrors } from '../lib/errors.js';
import { limits } from '../lib/limits.js';
import { useAtom } from '../lib/use-atom.js';
import { Field, FormError } from './field.js';

const NO_ERRORS: FormErrors = { fields: {}, form: null };

export function RenameForm({ store, conversation, onDone }: { store: ChatStore; conversation: Conversation; onDone: () => void }) {
  const [title, setTitle] = useState(conversation.title);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const { title_max_chars: titleMax } = useAtom(limits);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const next = title.trim();
    if (next.length === 0) return fail({ fields: { title: 'Give the conversation a title.' }, form: null });
    if (next.length > titleMax) return fail({ fields: { title: `Use at most ${titleMax} characters.` }, form: null });
    if (next === conversation.title) return onDone();
    setBusy(true);
    try {
      await store.rename(conversation.id, next);
      onDone();
    } catch (error) {
      setBusy(false);
      fail(describeError(error, { title: 'title' }));
    }
  };

  function fail(next: FormErrors) {
    setErrors(next);
    input.current?.focus();
  }

  return (
    <form
      class="rename form"
      aria-label="Rename conversation"
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onDone();
      }}
      noValidate
    >
      <Field
        id="rename-title"
        label="Title"
        ref={input}
        value={title}
        maxLength={titleMax}
        autocomplete="off"
        onInput={(e) => setTitle(e.currentTarget.value)}
        error={errors.fields.title}
      />
      <FormError message={errors.form} />
      <div class="rename__actions">
        <button type="submit" class="button button--small" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
        <button type="button" class="button button--ghost button--small" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
