/**
 * The service worker and this browser's push subscription. The worker is registered on every
 * load (it only shows notifications); permission is asked only when the user clicks "Enable
 * notifications", never before.
 */
import type { PneumaticClient } from '@pneumatic/client';
import { isOpenConversationMessage } from '../sw/push-notice.js';
import { pushHelpersAvailable, subscribeToPush, unsubscribeFromPush, vapidPublicKey } from './notifications-api.js';

export const SERVICE_WORKER_URL = '/sw.js';
export const SERVICE_WORKER_SCOPE = '/';

/**
 * unsupported: this browser cannot (no service worker, Push API or Notification API, or not a
 * secure context); unavailable: this server does not send pushes; blocked: the user denied
 * permission (only the browser's site settings can undo it); off / on: this browser's subscription.
 */
export type PushStatus = 'unsupported' | 'unavailable' | 'blocked' | 'off' | 'on';

export function pushSupported(): boolean {
  return window.isSecureContext && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

/** Registers /sw.js for the whole app; a failure leaves the app working without notifications. */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  navigator.serviceWorker.register(SERVICE_WORKER_URL, { scope: SERVICE_WORKER_SCOPE }).catch((error: unknown) => {
    console.warn('The service worker could not be registered; notifications are off.', error);
  });
}

/** Calls `open` with the conversation a clicked notification asks to open (the worker posts it). */
export function onNotificationOpen(open: (conversationId: string) => void): () => void {
  if (!('serviceWorker' in navigator)) return () => undefined;
  const listener = (event: MessageEvent) => {
    if (isOpenConversationMessage(event.data)) open(event.data.conversation_id);
  };
  navigator.serviceWorker.addEventListener('message', listener);
  return () => navigator.serviceWorker.removeEventListener('message', listener);
}

async function registration(): Promise<ServiceWorkerRegistration> {
  return (await navigator.serviceWorker.getRegistration(SERVICE_WORKER_SCOPE)) ?? navigator.serviceWorker.register(SERVICE_WORKER_URL, { scope: SERVICE_WORKER_SCOPE });
}

/** Where this browser stands, without asking the user anything. */
export async function pushStatus(client: PneumaticClient): Promise<PushStatus> {
  if (!pushSupported()) return 'unsupported';
  if (!pushHelpersAvailable() || !(await vapidPublicKey(client).catch(() => null))) return 'unavailable';
  if (Notification.permission === 'denied') return 'blocked';
  if (Notification.permission !== 'granted') return 'off';
  const subscription = await (await registration()).pushManager.getSubscription();
  return subscription ? 'on' : 'off';
}

/** Asks for permission (this is the user's click) and subscribes this browser. */
export async function enablePush(client: PneumaticClient): Promise<PushStatus> {
  const permission = await Notification.requestPermission();
  if (permission === 'denied') return 'blocked';
  if (permission !== 'granted') return 'off';
  await navigator.serviceWorker.register(SERVICE_WORKER_URL, { scope: SERVICE_WORKER_SCOPE });
  await subscribeToPush(client, await navigator.serviceWorker.ready);
  return 'on';
}

/** Unsubscribes this browser (the permission stays, so turning it on again asks nothing). */
export async function disablePush(client: PneumaticClient): Promise<PushStatus> {
  await unsubscribeFromPush(client, await registration());
  return 'off';
}
