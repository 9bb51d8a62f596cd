/**
 * The conversation header's bell: this conversation's notification level (its own, or your
 * default) and its mute, as the session's settings hold them (a change on another device shows
 * here live). A disclosure, not an ARIA menu: a small panel of radio buttons and buttons that Tab
 * walks through; Escape or a click outside closes it and focus returns to the bell.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { errorText } from '../lib/errors.js';
import { LEVEL_LABELS, MUTE_CHOICES, isMuted, msUntilUnmuted, muteUntil, mutedLabel } from '../lib/mute.js';
import type { NotificationLevel } from '../lib/notifications-api.js';
import type { ConversationChange } from '../lib/stores/notification-settings-store.js';
import { useAtom } from '../lib/use-atom.js';
import { useRerenderIn } from '../lib/use-rerender-in.js';
import { BellIcon } from './muted-mark.js';

const MENU_ID = 'notification-menu';
const LEVELS: ReadonlyArray<NotificationLevel | null> = [null, 'all', 'mentions', 'none'];

export function NotificationBell({ store, conversationId, name }: { store: ChatStore; conversationId: string; name: string }) {
  const [open, setOpen] = useState(false);
  const bell = useRef<HTMLButtonElement>(null);
  const setting = useAtom(store.notify.settings.conversation(conversationId));
  const now = new Date();
  useRerenderIn(msUntilUnmuted(setting?.muted_until, now));
  useEffect(() => setOpen(false), [conversationId]);
  if (!store.notify.settings.supported) return null;
  const muted = mutedLabel(setting?.muted_until, now);
  const close = () => {
    setOpen(false);
    bell.current?.focus();
  };

  return (
    <div class="notify">
      <button
        type="button"
        ref={bell}
        class="button button--ghost button--small"
        aria-expanded={open}
        aria-controls={open ? MENU_ID : undefined}
        title={muted ?? 'Notifications'}
        onClick={() => setOpen((v) => !v)}
      >
        <BellIcon off={muted !== null} />
        <span class="visually-hidden">{muted ? 'Notifications (muted)' : 'Notifications'}</span>
      </button>
      {open ? <NotificationMenu store={store} conversationId={conversationId} name={name} onClose={close} /> : null}
    </div>
  );
}

function NotificationMenu({ store, conversationId, name, onClose }: { store: ChatStore; conversationId: string; name: string; onClose: () => void }) {
  const setting = useAtom(store.notify.settings.conversation(conversationId));
  const settings = useAtom(store.notify.settings.settings);
  const [error, setError] = useState<string | null>(null);
  const panel = useRef<HTMLDivElement>(null);
  const now = new Date();
  const level = setting?.level ?? null;
  const mutedUntil = isMuted(setting?.muted_until, now) ? (setting?.muted_until ?? null) : null;
  const muted = mutedLabel(mutedUntil, now);

  useEffect(() => {
    panel.current?.querySelector<HTMLInputElement>('input:checked')?.focus();
    // A click anywhere else closes it (the bell toggles it itself).
    const outside = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!panel.current?.parentElement?.contains(target)) onClose();
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, []);

  // Muting swaps the choices for "Unmute" (and back): keep focus in the group rather than lose it to the page.
  const wasMuted = useRef(muted !== null);
  useEffect(() => {
    if (wasMuted.current === (muted !== null)) return;
    wasMuted.current = muted !== null;
    panel.current?.querySelector<HTMLButtonElement>('.notify-menu__group:last-of-type button')?.focus();
  }, [muted !== null]);

  const change = (next: ConversationChange) => {
    setError(null);
    store.notify.settings.setConversation(conversationId, next).catch((e: unknown) => setError(errorText(e)));
  };
  const defaultLabel = `Default (${LEVEL_LABELS[settings?.defaults.level ?? 'all']})`;

  return (
    <div
      id={MENU_ID}
      ref={panel}
      class="notify-menu"
      role="group"
      aria-label={`Notifications for ${name}`}
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.stopPropagation();
        onClose();
      }}
    >
      <fieldset class="notify-menu__group">
        <legend>Notify me about</legend>
        {LEVELS.map((value) => (
          <label key={value ?? 'default'} class="notify-menu__option">
            <input type="radio" name="notification-level" checked={level === value} onChange={() => change({ level: value, muted_until: mutedUntil })} />
            {value === null ? defaultLabel : LEVEL_LABELS[value]}
          </label>
        ))}
      </fieldset>
      <fieldset class="notify-menu__group">
        <legend>Mute</legend>
        {muted ? (
          <>
            <p class="notify-menu__state">{muted}</p>
            <button type="button" class="button button--small" onClick={() => change({ level, muted_until: null })}>
              Unmute
            </button>
          </>
        ) : (
          MUTE_CHOICES.map(({ choice, label }) => (
            <button key={choice} type="button" class="button button--ghost button--small notify-menu__mute" onClick={() => change({ level, muted_until: muteUntil(choice, new Date()) })}>
              {label}
            </button>
          ))
        )}
      </fieldset>
      {error ? (
        <p class="notify-menu__error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
