/**
 * The chat screen's ties to the page: this device's activity for presence (visibility, focus,
 * input, the open conversation), the unread count in the page title, and a clicked notification
 * opening its conversation (the service worker posts it to this window).
 */
import { useEffect } from 'preact/hooks';
import { trackPageActivity } from './activity-tracker.js';
import type { ChatStore } from './chat-store.js';
import { onNotificationOpen } from './push-registration.js';
import { APP_TITLE, unreadTitle } from './unread-title.js';
import { useAtom } from './use-atom.js';
import { navigate } from './use-route.js';

export function usePageActivity(store: ChatStore, conversationId: string | null): void {
  useEffect(() => trackPageActivity(store.notify.activity), [store]);
  useEffect(() => store.notify.activity.update({ conversationId }), [store, conversationId]);
  useEffect(() => onNotificationOpen((id) => navigate({ kind: 'conversation', id })), []);
}

/** "(N) Pneumatic" while N messages are unread; subscribes to the total alone. */
export function useUnreadTitle(store: ChatStore): void {
  const unread = useAtom(store.conversations.unreadTotal);
  useEffect(() => {
    document.title = unreadTitle(unread);
  }, [unread]);
  useEffect(
    () => () => {
      document.title = APP_TITLE;
    },
    [],
  );
}
