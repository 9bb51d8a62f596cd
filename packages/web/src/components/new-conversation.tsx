/**
 * Starts a group (a title and members) or a direct message with one person. People are picked
 * from the directory as you type (people-picker.tsx); usernames typed whole, separated by commas,
 * work too and are looked up when the form is sent.
 */
import type { User } from '@pneumatic/client';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { describeError, type FormErrors } from '../lib/errors.js';
import { directMessageTitle, directPeer } from '../lib/format.js';
import { limits } from '../lib/limits.js';
import { lookUpUsernames, typedUsernames, unknownUsernamesText } from '../lib/typed-usernames.js';
import { useAtom } from '../lib/use-atom.js';
import { navigate } from '../lib/use-route.js';
import { Field, FormError } from './field.js';
import { PeoplePicker } from './people-picker.js';

type Kind = 'group' | 'direct';

export function NewConversation({ store }: { store: ChatStore }) {
  const [kind, setKind] = useState<Kind>('group');
  const [title, setTitle] = useState('');
  const [picked, setPicked] = useState<User[]>([]);
  const [typed, setTyped] = useState('');
  const [errors, setErrors] = useState<FormErrors>({ fields: {}, form: null });
  const [busy, setBusy] = useState(false);
  const titleRef = useRef<HTMLInputElement>(null);
  const membersRef = useRef<HTMLInputElement>(null);
  const { title_max_chars: titleMax, members_max: membersMax } = useAtom(limits);
  useEffect(() => titleRef.current?.focus(), []);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const isPicked = (name: string) => picked.some((u) => u.username.toLowerCase() === name.toLowerCase());
    const names = typedUsernames(typed).filter((n) => n.toLowerCase() !== store.me.username.toLowerCase() && !isPicked(n));
    const count = picked.length + names.length;
    const fields: Record<string, string> = {};
    if (kind === 'group' && title.trim().length === 0) fields.title = 'Give the group a title.';
    else if (kind === 'group' && title.length > titleMax) fields.title = `Use at most ${titleMax} characters.`;
    if (kind === 'direct' && count !== 1) fields.members = 'Pick one person.';
    if (kind === 'group' && count === 0) fields.members = 'Add at least one member.';
    else if (count > membersMax) fields.members = `Add at most ${membersMax} members at once.`;
    if (Object.keys(fields).length > 0) return fail({ fields, form: null });
    setBusy(true);
    setErrors({ fields: {}, form: null });
    try {
      const { users: found, unknown } = await lookUpUsernames(names, (name) => store.users.findByUsername(name));
      if (unknown.length > 0) return fail({ fields: { members: `${unknownUsernamesText(unknown)} Type part of a name and pick from the list.` }, form: null });
      const users = [...picked, ...found];
      const ids = users.map((u) => u.id);
      if (kind === 'direct') {
        const peer = users[0]!;
        const existing = store.conversations.list.get().find((e) => directPeer(e.conversation, store.me)?.toLowerCase() === peer.username.toLowerCase());
        const id = existing?.conversation.id ?? (await store.create(directMessageTitle(store.me.username, peer.username), ids));
        return navigate({ kind: 'conversation', id });
      }
      navigate({ kind: 'conversation', id: await store.create(title.trim(), ids) });
    } catch (error) {
      fail(describeError(error, { title: 'title', member_ids: 'members', user_id: 'members' }));
    }
  };

  function fail(next: FormErrors) {
    setBusy(false);
    setErrors(next);
    if (next.fields.title) titleRef.current?.focus();
    else if (next.fields.members) membersRef.current?.focus();
  }

  return (
    <section class="panel new-conversation" aria-labelledby="new-conversation-heading">
      <header class="panel__header">
        <button type="button" class="button button--ghost button--icon back" onClick={() => navigate({ kind: 'home' })} aria-label="Back to conversations">
          ‹
        </button>
        <h2 id="new-conversation-heading">Start a conversation</h2>
      </header>
      <form
        class="panel__body form"
        onSubmit={(e) => void submit(e)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') navigate({ kind: 'home' });
        }}
        noValidate
      >
        <fieldset class="segmented">
          <legend class="visually-hidden">Kind of conversation</legend>
          {(['group', 'direct'] as const).map((value) => (
            <label key={value} class={`segmented__option${kind === value ? ' segmented__option--checked' : ''}`}>
              <input type="radio" name="kind" value={value} checked={kind === value} onChange={() => setKind(value)} />
              {value === 'group' ? 'Group' : 'Direct message'}
            </label>
          ))}
        </fieldset>
        {kind === 'group' ? (
          <Field
            id="new-title"
            label="Title"
            ref={titleRef}
            value={title}
            maxLength={titleMax}
            onInput={(e) => setTitle(e.currentTarget.value)}
            hint={`Up to ${titleMax} characters.`}
            error={errors.fields.title}
          />
        ) : null}
        <PeoplePicker
          store={store}
          id="new-members"
          label="Members"
          inputRef={membersRef}
          picked={picked}
          // A direct message has one other person: picking another replaces them.
          onPick={(user) => setPicked((list) => (kind === 'direct' ? [user] : [...list, user]))}
          onUnpick={(user) => setPicked((list) => list.filter((u) => u.id !== user.id))}
          text={typed}
          onText={setTyped}
          hint={kind === 'group' ? 'Type part of a name or username and pick people from the list.' : 'Type part of their name or username and pick them from the list.'}
          error={errors.fields.members}
        />
        <FormError message={errors.form} />
        <div class="form__actions">
          <button type="submit" class="button button--primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create'}
          </button>
          <button type="button" class="button button--ghost" onClick={() => navigate({ kind: 'home' })}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
