/**
 * Settings → Profile's picture: upload an image (POST /uploads, as attachments are, then
 * PUT /users/me/avatar: the server crops it square, resizes it and strips its metadata) or remove
 * it. Refusals say why, in words: an image the server cannot read, a file over the size limit.
 */
import { useRef, useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { humanSize } from '../lib/attachments.js';
import { errorText } from '../lib/errors.js';
import { limits } from '../lib/limits.js';
import { useAtom } from '../lib/use-atom.js';
import { Avatar } from './avatar.js';
import { FormError } from './form-error.js';
import { shownName } from './user-profile.js';

type Step = { kind: 'idle' } | { kind: 'uploading'; percent: number } | { kind: 'saving' } | { kind: 'removing' };

export function AvatarPicker({ store }: { store: ChatStore }) {
  const profile = useAtom(store.users.of(store.me.id));
  const { upload_max_bytes: maxBytes } = useAtom(limits);
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const busy = step.kind !== 'idle';

  const upload = async (file: File) => {
    setError(null);
    setNotice(null);
    if (file.size > maxBytes) return setError(`“${file.name}” is ${humanSize(file.size)}: pictures can be at most ${humanSize(maxBytes)}.`);
    setStep({ kind: 'uploading', percent: 0 });
    try {
      const uploaded = await store.client.upload(file, { onProgress: ({ loaded, total }) => setStep({ kind: 'uploading', percent: total > 0 ? Math.floor((loaded / total) * 100) : 100 }) });
      setStep({ kind: 'saving' });
      await store.client.setAvatar(uploaded.id);
      setNotice('Your picture is updated.');
    } catch (e) {
      setError(errorText(e));
    } finally {
      setStep({ kind: 'idle' });
    }
  };

  const remove = async () => {
    setError(null);
    setNotice(null);
    setStep({ kind: 'removing' });
    try {
      await store.client.clearAvatar();
      setNotice('Your picture is removed: your initials show instead.');
    } catch (e) {
      setError(errorText(e));
    } finally {
      setStep({ kind: 'idle' });
    }
  };

  return (
    <div class="avatar-picker">
      <Avatar name={shownName(profile)} large src={profile?.avatar_url ? store.client.resolveUrl(profile.avatar_url) : null} />
      <div class="avatar-picker__actions">
        <div class="form__actions">
          <button type="button" class="button" disabled={busy} aria-describedby="avatar-hint" onClick={() => input.current?.click()}>
            {profile?.avatar_url ? 'Change picture' : 'Upload a picture'}
          </button>
          {profile?.avatar_url ? (
            <button type="button" class="button button--danger-ghost" disabled={busy} onClick={() => void remove()}>
              Remove picture
            </button>
          ) : null}
        </div>
        <p id="avatar-hint" class="field__hint">
          An image up to {humanSize(maxBytes)}, cropped to a square. Its location and other details are removed.
        </p>
        <p class="avatar-picker__status" role="status">
          {step.kind === 'uploading' ? `Uploading… ${step.percent}%` : step.kind === 'saving' ? 'Making your picture…' : step.kind === 'removing' ? 'Removing…' : (notice ?? '')}
        </p>
        <FormError error={error} />
      </div>
      <input
        ref={input}
        type="file"
        accept="image/*"
        hidden
        tabIndex={-1}
        data-testid="avatar-file"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          // Cleared so that choosing the same file again is a change too.
          e.currentTarget.value = '';
          if (file) void upload(file);
        }}
      />
    </div>
  );
}
