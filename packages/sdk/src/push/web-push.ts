/**
 * Web Push in the browser (docs/API.md, "Web Push"): subscribe this browser with the server's
 * VAPID key and register the subscription, or undo both; and, for the service worker, tell a
 * repeat from a new push. Typed structurally (no DOM library needed): pass the page's
 * `ServiceWorkerRegistration`.
 */
import type { PushPayload, PushSubscription, PushSubscriptionJson } from '../types.js';

/** The parts of a browser PushSubscription used here. */
export interface PushSubscriptionLike {
  readonly endpoint: string;
  readonly options?: { readonly applicationServerKey: ArrayBuffer | null };
  toJSON(): PushSubscriptionJson | { endpoint?: string; expirationTime?: number | null; keys?: Record<string, string> };
  unsubscribe(): Promise<boolean>;
}

/** The parts of a ServiceWorkerRegistration used here: its pushManager, and (in a service worker) its notifications. */
export interface PushRegistrationLike {
  readonly pushManager: {
    getSubscription(): Promise<PushSubscriptionLike | null>;
    subscribe(options: { userVisibleOnly: boolean; applicationServerKey: Uint8Array }): Promise<PushSubscriptionLike>;
  };
  getNotifications?(filter?: { tag?: string }): Promise<ReadonlyArray<{ data?: unknown }>>;
}

/** What the helpers need of the client: its push routes. */
export interface PushApi {
  getVapidPublicKey(): Promise<string>;
  addPushSubscription(subscription: PushSubscriptionJson): Promise<PushSubscription>;
  listPushSubscriptions(): Promise<PushSubscription[]>;
  removePushSubscription(id: string): Promise<void>;
}

/** base64url (as the server publishes its key) to bytes, in browsers and Node alike. */
export function base64UrlBytes(text: string): Uint8Array {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  const binary = atob(base64);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function sameBytes(a: ArrayBuffer | null | undefined, b: Uint8Array): boolean {
  if (!a || a.byteLength !== b.length) return false;
  const view = new Uint8Array(a);
  return view.every((byte, i) => byte === b[i]);
}

/**
 * Subscribes this browser to pushes and registers it with the server; safe to call on every
 * start (the browser's subscription is reused and the server answers a known one with the same
 * id). A subscription made with another key (the server's changed) is replaced. Must run where
 * notification permission was granted, or the browser refuses.
 */
export async function subscribeToPush(api: PushApi, registration: PushRegistrationLike): Promise<PushSubscription> {
  const key = base64UrlBytes(await api.getVapidPublicKey());
  let subscription = await registration.pushManager.getSubscription();
  if (subscription && subscription.options && !sameBytes(subscription.options.applicationServerKey, key)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  return api.addPushSubscription(subscription.toJSON() as PushSubscriptionJson);
}

/** Removes this browser's subscription from the server and the browser; false when it had none. */
export async function unsubscribeFromPush(api: PushApi, registration: PushRegistrationLike): Promise<boolean> {
  const subscription = await registration.pushManager.getSubscription();
  if (!subscription) return false;
  const stored = (await api.listPushSubscriptions()).find((s) => s.endpoint === subscription.endpoint);
  if (stored) await api.removePushSubscription(stored.id).catch(() => {});
  await subscription.unsubscribe();
  return true;
}

/**
 * For the service worker's `push` handler: false when a notification showing this push's `id`
 * is already there (a repeat: the server sent it again after a crash; docs/API.md, "Repeats").
 * Expects notifications tagged with the conversation id and carrying the payload as `data`.
 */
export async function isNewPush(registration: PushRegistrationLike, payload: PushPayload): Promise<boolean> {
  const shown = (await registration.getNotifications?.({ tag: payload.conversation_id })) ?? [];
  return !shown.some((n) => (n.data as { id?: unknown } | undefined)?.id === payload.id);
}
