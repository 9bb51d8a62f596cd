/**
 * Outgoing webhooks (docs/API.md, "Outgoing webhooks"): an HTTPS URL subscribed to event types
 * of one conversation its owner belongs to, or of every conversation of a bot they own. Each
 * event of the change feed is POSTed to it, signed by the Standard Webhooks scheme.
 */
import { Type, type Static, type TLiteral } from 'typebox';
import { ConversationEventTypes } from './event-types.js';
import { STORABLE_TEXT_PATTERN } from './limits.js';
import { Timestamp, Uuid } from './models.js';

/** Every webhook signing secret starts with this (the Standard Webhooks convention): base64 of 32 random bytes follows. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** Longest webhook URL, in characters. */
export const WEBHOOK_URL_MAX_CHARS = 2048;

/** Longest description, in characters. */
export const WEBHOOK_DESCRIPTION_MAX_CHARS = 200;

// One literal per event type, typed as a tuple: TypeBox's Static of a union walks a tuple, and
// of the plain array that map() returns it is `never` (every event_types would be never[]).
type Literals<T extends readonly string[]> = { -readonly [K in keyof T]: TLiteral<T[K] & string> };

/** The event types a webhook may subscribe to: the change feed's. */
export const WebhookEventType = Type.Union(
  ConversationEventTypes.map((type) => Type.Literal(type)) as unknown as Literals<typeof ConversationEventTypes>,
  { description: 'a change feed event type (docs/API.md, "Change feed")' },
);

const EventTypes = Type.Array(WebhookEventType, { minItems: 1, maxItems: ConversationEventTypes.length, uniqueItems: true });
const Url = Type.String({ minLength: 1, maxLength: WEBHOOK_URL_MAX_CHARS, description: 'https:// (http:// only under WEBHOOK_ALLOW_HTTP); never a private address unless EGRESS settings allow it' });
const Description = Type.String({ maxLength: WEBHOOK_DESCRIPTION_MAX_CHARS, pattern: STORABLE_TEXT_PATTERN });

/** The body of POST /webhooks: exactly one of conversation_id and bot_id. */
export const CreateWebhook = Type.Object(
  {
    url: Url,
    event_types: EventTypes,
    conversation_id: Type.Optional(Uuid),
    bot_id: Type.Optional(Uuid),
    description: Type.Optional(Description),
  },
  { title: 'CreateWebhook', additionalProperties: false },
);
export type CreateWebhook = Static<typeof CreateWebhook>;

/** The body of PATCH /webhooks/{id}: what changes. `enabled: true` re-enables a disabled webhook. */
export const UpdateWebhook = Type.Object(
  { url: Type.Optional(Url), event_types: Type.Optional(EventTypes), description: Type.Optional(Description), enabled: Type.Optional(Type.Boolean()) },
  { title: 'UpdateWebhook', additionalProperties: false, minProperties: 1 },
);
export type UpdateWebhook = Static<typeof UpdateWebhook>;

export const WebhookDisabledReason = Type.Union([Type.Literal('failing'), Type.Literal('owner')], {
  description: 'failing: every delivery failed for WEBHOOK_DISABLE_AFTER_SECONDS; owner: set enabled false',
});

/** A webhook as its owner sees it: never its secret. */
export const Webhook = Type.Object(
  {
    id: Uuid,
    owner_id: Uuid,
    url: Type.String(),
    event_types: Type.Array(WebhookEventType),
    conversation_id: Type.Union([Uuid, Type.Null()], { description: 'the one conversation it covers; null for a bot webhook' }),
    bot_id: Type.Union([Uuid, Type.Null()], { description: 'the bot whose conversations it covers; null for a conversation webhook' }),
    description: Type.String(),
    enabled: Type.Boolean(),
    disabled_reason: Type.Union([WebhookDisabledReason, Type.Null()]),
    disabled_at: Type.Union([Timestamp, Type.Null()]),
    failing_since: Type.Union([Timestamp, Type.Null()], { description: 'first failure since the last success; null while deliveries succeed' }),
    last_success_at: Type.Union([Timestamp, Type.Null()]),
    created_at: Timestamp,
  },
  { title: 'Webhook' },
);
export type Webhook = Static<typeof Webhook>;

/** The answer to POST /webhooks and to rotating a secret: the only time the secret is shown. */
export const CreatedWebhook = Type.Object(
  {
    webhook: Webhook,
    secret: Type.String({ description: `the signing secret (${WEBHOOK_SECRET_PREFIX}…), shown once` }),
  },
  { title: 'CreatedWebhook' },
);
export type CreatedWebhook = Static<typeof CreatedWebhook>;

export const WebhookList = Type.Object({ webhooks: Type.Array(Webhook) }, { title: 'WebhookList' });
export type WebhookList = Static<typeof WebhookList>;

export const WebhookDeliveryStatus = Type.Union([Type.Literal('delivered'), Type.Literal('retrying'), Type.Literal('failed')], {
  description: 'delivered: answered 2xx; retrying: failed, tried again later; failed: given up (or a redelivery failed)',
});

/** One event's delivery to one webhook: its `id` is the `webhook-id` header, the same on every attempt. */
export const WebhookDelivery = Type.Object(
  {
    id: Uuid,
    webhook_id: Uuid,
    conversation_id: Uuid,
    event_seq: Type.Integer({ minimum: 1 }),
    event_type: WebhookEventType,
    status: WebhookDeliveryStatus,
    attempts: Type.Integer({ minimum: 1 }),
    response_status: Type.Union([Type.Integer(), Type.Null()], { description: "the last attempt's HTTP status; null when none came" }),
    error: Type.Union([Type.String(), Type.Null()], { description: "why the last attempt failed, when it did: 'timeout', 'connection', 'refused_address', 'status', 'redirect'" }),
    latency_ms: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: "the last attempt's duration" }),
    created_at: Timestamp,
    last_attempt_at: Timestamp,
    next_attempt_at: Type.Union([Timestamp, Type.Null()], { description: 'when a retrying delivery is tried again' }),
    redelivery_requested: Type.Boolean(),
  },
  { title: 'WebhookDelivery' },
);
export type WebhookDelivery = Static<typeof WebhookDelivery>;

export const WebhookDeliveryList = Type.Object(
  { deliveries: Type.Array(WebhookDelivery), next_before: Type.Union([Type.String(), Type.Null()], { description: 'pass as `before` for older ones; null at the end' }) },
  { title: 'WebhookDeliveryList' },
);
export type WebhookDeliveryList = Static<typeof WebhookDeliveryList>;

export const WebhookParams = Type.Object({ id: Uuid });
export const WebhookDeliveryParams = Type.Object({ id: Uuid, delivery_id: Uuid });
export const WebhookDeliveryQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    before: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'next_before of the previous page' })),
    status: Type.Optional(WebhookDeliveryStatus),
  },
  { additionalProperties: false },
);

/** The body of a delivery (docs/API.md, "Outgoing webhooks"): the change feed's event and where it comes from. */
export const WebhookPayload = Type.Object(
  {
    type: WebhookEventType,
    timestamp: Timestamp,
    webhook_id: Uuid,
    data: Type.Record(Type.String(), Type.Unknown(), { description: 'the ConversationEvent, as GET /conversations/{id}/events lists it' }),
  },
  { title: 'WebhookPayload' },
);
