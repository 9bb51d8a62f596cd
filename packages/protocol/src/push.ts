/** Web Push (docs/API.md, "Web Push"): subscriptions, the server's VAPID key, and what a push carries. */
import { Type, type Static } from 'typebox';
import { Timestamp, Uuid } from './models.js';

/** Longest accepted endpoint URL, in characters (push services' are a few hundred). */
export const PUSH_ENDPOINT_MAX_CHARS = 2048;

/** Longest `preview` in a push payload, in characters (the payload stays far below the 4 KB push services accept). */
export const PUSH_PREVIEW_MAX_CHARS = 200;

/** The body of POST /push/subscriptions: a browser's `PushSubscription.toJSON()` as is. */
export const PushSubscriptionInput = Type.Object(
  {
    endpoint: Type.String({ minLength: 1, maxLength: PUSH_ENDPOINT_MAX_CHARS, description: 'the push service URL; https:// only' }),
    expirationTime: Type.Optional(Type.Union([Type.Null(), Type.Number({ minimum: 0, maximum: 8.64e15, description: 'Unix milliseconds, as the browser gives it' })])),
    keys: Type.Object({
      p256dh: Type.String({ minLength: 1, maxLength: 128, description: 'base64url, an uncompressed P-256 public key (65 bytes)' }),
      auth: Type.String({ minLength: 1, maxLength: 64, description: 'base64url, 16 bytes' }),
    }),
  },
  { title: 'PushSubscriptionInput' },
);
export type PushSubscriptionInput = Static<typeof PushSubscriptionInput>;

/** A stored subscription as its owner sees it (never its keys). */
export const PushSubscription = Type.Object(
  {
    id: Uuid,
    endpoint: Type.String(),
    created_at: Timestamp,
    expires_at: Type.Union([Timestamp, Type.Null()]),
  },
  { title: 'PushSubscription' },
);
export type PushSubscription = Static<typeof PushSubscription>;

export const PushSubscriptionList = Type.Object({ subscriptions: Type.Array(PushSubscription) }, { title: 'PushSubscriptionList' });
export type PushSubscriptionList = Static<typeof PushSubscriptionList>;

export const PushSubscriptionParams = Type.Object({ id: Uuid });

/** GET /push/vapid-public-key: the key a browser passes to `pushManager.subscribe` as `applicationServerKey`. */
export const VapidPublicKey = Type.Object(
  { public_key: Type.String({ description: 'base64url, an uncompressed P-256 public key (65 bytes)' }) },
  { title: 'VapidPublicKey' },
);
export type VapidPublicKey = Static<typeof VapidPublicKey>;

/**
 * What a push carries, decrypted by the browser and handed to the service worker. `id` is the
 * same on every attempt of one push: a service worker that has seen it drops the repeat.
 * `preview` is absent when the recipient turned previews off.
 */
export interface PushPayload {
  id: string;
  type: 'message';
  conversation_id: string;
  conversation_title: string | null;
  message_id: string;
  seq: number;
  /** The thread the message was posted in, or null. */
  thread_root_id: string | null;
  sender: { id: string; username: string };
  preview?: string;
  /** The message (or one this push stands for) mentions the recipient, by name or with @all. */
  mention: boolean;
  sent_at: string;
}
