/**
 * The service worker, served at /sw.js (scope /): shows a notification per push and opens the
 * conversation when one is clicked. No fetch handler and no caching of the app: it only does
 * notifications. Built on its own as a classic script (vite.config.ts), typed with the WebWorker
 * library (tsconfig.sw.json). The decisions are in push-notice.ts, tested in Node.
 */
import {
  OPEN_CONVERSATION,
  composeNotice,
  conversationUrl,
  genericNotice,
  noticeDataOf,
  parsePushPayload,
  rememberPushId,
  type OpenConversationMessage,
} from './push-notice.js';

const worker = self as unknown as ServiceWorkerGlobalScope;

/** Where the ids of recent pushes are kept across worker restarts: one small JSON entry in the Cache API. */
const SEEN_CACHE = 'pneumatic-push-v1';
const SEEN_KEY = '/__pneumatic/push-ids';

worker.addEventListener('install', () => {
  void worker.skipWaiting();
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(worker.clients.claim());
});

async function readSeenIds(cache: Cache): Promise<string[]> {
  const stored = await cache.match(SEEN_KEY);
  const value: unknown = stored ? await stored.json().catch(() => []) : [];
  return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [];
}

/** Whether `id` was shown before; records it otherwise. */
async function isRepeat(id: string): Promise<boolean> {
  const cache = await caches.open(SEEN_CACHE);
  const { repeat, recent } = rememberPushId(await readSeenIds(cache), id);
  if (!repeat) await cache.put(SEEN_KEY, new Response(JSON.stringify(recent), { headers: { 'content-type': 'application/json' } }));
  return repeat;
}

function readJson(data: PushMessageData | null): unknown {
  try {
    return data?.json();
  } catch {
    return null;
  }
}

async function showPush(data: PushMessageData | null): Promise<void> {
  const payload = parsePushPayload(readJson(data));
  if (!payload) {
    const generic = genericNotice();
    return worker.registration.showNotification(generic.title, generic.options);
  }
  if (await isRepeat(payload.id)) return;
  const [previous] = await worker.registration.getNotifications({ tag: payload.conversation_id });
  const notice = composeNotice(payload, previous ? noticeDataOf(previous.data) : null);
  // `renotify` and `timestamp` are in the Notifications standard but not in TypeScript's NotificationOptions.
  await worker.registration.showNotification(notice.title, notice.options as NotificationOptions);
}

// Pushes are handled one at a time: two retries arriving together must not both pass the repeat check.
let queue: Promise<void> = Promise.resolve();

worker.addEventListener('push', (event) => {
  const shown = queue.then(() => showPush(event.data));
  queue = shown.catch(() => undefined);
  event.waitUntil(shown);
});

/** Focuses an open window of the app and tells it to open the conversation, or opens a new window there. */
async function openConversation(conversationId: string | null): Promise<void> {
  const scope = worker.registration.scope;
  const url = conversationId ? conversationUrl(scope, conversationId) : scope;
  const windows = await worker.clients.matchAll({ type: 'window', includeUncontrolled: true });
  // A window of the app itself (not /docs), the focused one first.
  const app = windows.filter((client) => new URL(client.url).pathname === new URL(scope).pathname).sort((a, b) => Number(b.focused) - Number(a.focused))[0];
  if (!app) {
    await worker.clients.openWindow(url);
    return;
  }
  const focused = await app.focus();
  if (conversationId) {
    const message: OpenConversationMessage = { type: OPEN_CONVERSATION, conversation_id: conversationId };
    focused.postMessage(message);
  }
}

worker.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(openConversation(noticeDataOf(event.notification.data)?.conversation_id ?? null));
});
