/**
 * Settings → Profile (docs/API.md, "Profiles"): your picture, display name and status. The name
 * shows instead of your username wherever people see you (your @username stays your handle for
 * mentions); the status is for your own devices and anyone who looks you up. Your other devices
 * follow a change at once (`user.updated`), and the form follows theirs while you have not typed.
 */
import { DISPLAY_NAME_MAX_CHARS, STATUS_TEXT_MAX_CHARS } from '@pneumatic/protocol';
import { useEffect, useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { describeError, type FormErrors } from '../lib/errors.js';
import { codePoints } from '../lib/limits.js';
import { useAtom } from '../lib/use-atom.js';
import { AvatarPicker } from './avatar-picker.js';
import { Field, FormError } from './field.js';

const NO_ERRORS: FormErrors = { fields: {}, form: null };
const FIELDS = { display_name: 'display_name', status_text: 'status_text' };

export function ProfileSettings({ store }: { store: ChatStore }) {
  const profile = useAtom(store.users.of(store.me.id));
  const savedName = profile?.display_name ?? '';
  const savedStatus = profile?.status_text ?? '';
  const [name, setName] = useState(savedName);
  const [status, setStatus] = useState(savedStatus);
  const [dirty, setDirty] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // A change from another device (or the first sync) shows here unless you are editing.
  useEffect(() => {
    if (dirty) return;
    setName(savedName);
    setStatus(savedStatus);
  }, [savedName, savedStatus, dirty]);

  const edit = (set: (value: string) => void) => (event: { currentTarget: HTMLInputElement }) => {
    set(event.currentTarget.value);
    setDirty(true);
    setNotice(null);
  };

  const save = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const fields: Record<string, string> = {};
    if (codePoints(name.trim()) > DISPLAY_NAME_MAX_CHARS) fields.display_name = `Use at most ${DISPLAY_NAME_MAX_CHARS} characters.`;
    if (codePoints(status.trim()) > STATUS_TEXT_MAX_CHARS) fields.status_text = `Use at most ${STATUS_TEXT_MAX_CHARS} characters.`;
    if (Object.keys(fields).length > 0) return setErrors({ fields, form: null });
    // Only what changed: an empty field clears it (the server stores null).
    const patch = { ...(name !== savedName ? { display_name: name } : {}), ...(status !== savedStatus ? { status_text: status } : {}) };
    setErrors(NO_ERRORS);
    if (Object.keys(patch).length === 0) return setNotice('Nothing to save.');
    setBusy(true);
    try {
      const user = await store.client.updateProfile(patch);
      setName(user.display_name ?? '');
      setStatus(user.status_text ?? '');
      setDirty(false);
      setNotice('Profile saved.');
    } catch (error) {
      setErrors(describeError(error, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="settings__section" aria-labelledby="profile-heading">
      <h3 id="profile-heading">Profile</h3>
      <AvatarPicker store={store} />
      <form class="form profile-form" onSubmit={(e) => void save(e)} noValidate aria-label="Profile">
        <Field
          id="profile-display-name"
          label="Display name"
          value={name}
          onInput={edit(setName)}
          autocomplete="nickname"
          hint={`Shown instead of your username, up to ${DISPLAY_NAME_MAX_CHARS} characters. People still mention you as @${store.me.username}.`}
          error={errors.fields.display_name}
        />
        <Field
          id="profile-status"
          label="Status"
          value={status}
          onInput={edit(setStatus)}
          autocomplete="off"
          hint={`What you are up to, such as “On holiday until Monday”: up to ${STATUS_TEXT_MAX_CHARS} characters. Leave empty for none.`}
          error={errors.fields.status_text}
        />
        <FormError message={errors.form} />
        <div class="form__actions">
          <button type="submit" class="button button--primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save profile'}
          </button>
          <span class="profile-form__notice" role="status">
            {notice ?? ''}
          </span>
        </div>
      </form>
    </section>
  );
}
