/**
 * Settings → Notifications: push notifications for this browser (the permission is asked only
 * when "Enable notifications" is clicked) and the defaults every conversation follows unless
 * its bell says otherwise.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { errorText } from '../lib/errors.js';
import { LEVEL_LABELS } from '../lib/mute.js';
import type { NotificationDefaults, NotificationLevel } from '../lib/notifications-api.js';
import { disablePush, enablePush, pushStatus, type PushStatus } from '../lib/push-registration.js';
import { useAtom } from '../lib/use-atom.js';
import { FormError } from './form-error.js';

const STATUS_TEXT: Record<PushStatus, string> = {
  unsupported: 'This browser cannot show notifications from Pneumatic.',
  unavailable: 'This server does not send push notifications.',
  blocked: 'Notifications are blocked for this site. Allow them in your browser’s site settings, then come back here.',
  off: 'Notifications are off in this browser.',
  on: 'Notifications are on in this browser.',
};

export function NotificationSettings({ store }: { store: ChatStore }) {
  return (
    <section class="settings__section" aria-labelledby="notifications-heading">
      <h3 id="notifications-heading">Notifications</h3>
      <PushToggle store={store} />
      {store.notify.settings.supported ? <NotificationDefaultsForm store={store} /> : null}
    </section>
  );
}

function PushToggle({ store }: { store: ChatStore }) {
  const [status, setStatus] = useState<PushStatus | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    void pushStatus(store.client).then((s) => current && setStatus(s));
    return () => {
      current = false;
    };
  }, [store]);

  const act = (action: typeof enablePush) => {
    setBusy(true);
    setError(null);
    action(store.client)
      .then(setStatus, (e: unknown) => setError(errorText(e)))
      .finally(() => setBusy(false));
  };

  return (
    <div class="settings__push" data-push-status={status ?? 'checking'}>
      <p class="muted" role="status">
        {status ? STATUS_TEXT[status] : 'Checking notifications…'}
      </p>
      {status === 'off' ? (
        <button type="button" class="button button--primary" disabled={busy} onClick={() => act(enablePush)}>
          {busy ? 'Enabling…' : 'Enable notifications'}
        </button>
      ) : null}
      {status === 'on' ? (
        <button type="button" class="button" disabled={busy} onClick={() => act(disablePush)}>
          {busy ? 'Turning off…' : 'Turn off'}
        </button>
      ) : null}
      <FormError error={error} />
    </div>
  );
}

const LEVELS: readonly NotificationLevel[] = ['all', 'mentions', 'none'];

function NotificationDefaultsForm({ store }: { store: ChatStore }) {
  const settings = useAtom(store.notify.settings.settings);
  const [error, setError] = useState<string | null>(null);
  if (!settings) return <p class="muted">Loading your notification settings…</p>;
  const { defaults } = settings;

  const update = (patch: Partial<NotificationDefaults>) => {
    setError(null);
    store.notify.settings.updateDefaults(patch).catch((e: unknown) => setError(errorText(e)));
  };

  return (
    <div class="settings__defaults">
      <fieldset class="settings__fieldset">
        <legend>By default, notify me about</legend>
        {LEVELS.map((level) => (
          <label key={level} class="settings__option">
            <input type="radio" name="default-level" checked={defaults.level === level} onChange={() => update({ level })} />
            {LEVEL_LABELS[level]}
          </label>
        ))}
      </fieldset>
      <label class="settings__option">
        <input type="checkbox" checked={defaults.mention_breaks_mute} onChange={(e) => update({ mention_breaks_mute: e.currentTarget.checked })} />
        Notify me when I am mentioned, even in muted conversations
      </label>
      <label class="settings__option">
        <input type="checkbox" checked={defaults.previews} onChange={(e) => update({ previews: e.currentTarget.checked })} />
        Show a preview of the message in notifications
      </label>
      <FormError error={error} />
    </div>
  );
}
