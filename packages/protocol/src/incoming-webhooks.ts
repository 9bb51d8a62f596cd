/** Incoming webhooks (docs/API.md, "Incoming webhooks"): a secret URL that posts into a conversation as a bot. */
import { Type, type Static } from 'typebox';
import { Timestamp, User, Uuid } from './models.js';

/** Every incoming webhook secret starts with this, so secret scanners and people can tell one. */
export const INCOMING_WEBHOOK_PREFIX = 'pnh_';

/** Longest Idempotency-Key header of a post, in characters. */
export const IDEMPOTENCY_KEY_MAX_CHARS = 255;

/** A webhook as the conversation's members see it: never its secret. */
export const IncomingWebhook = Type.Object(
  { id: Uuid, conversation_id: Uuid, bot: User, created_by: Uuid, created_at: Timestamp },
  { title: 'IncomingWebhook' },
);
export type IncomingWebhook = Static<typeof IncomingWebhook>;

/** The answer to its creation: the only time the secret URL is shown. */
export const CreatedIncomingWebhook = Type.Object(
  {
    webhook: IncomingWebhook,
    url: Type.String({ description: 'POST {"content"} here to post as the bot; shown once' }),
    secret: Type.String({ description: `the URL's last segment, starting with ${INCOMING_WEBHOOK_PREFIX}` }),
  },
  { title: 'CreatedIncomingWebhook' },
);
export type CreatedIncomingWebhook = Static<typeof CreatedIncomingWebhook>;

export const IncomingWebhookList = Type.Object({ webhooks: Type.Array(IncomingWebhook) }, { title: 'IncomingWebhookList' });
export type IncomingWebhookList = Static<typeof IncomingWebhookList>;

export const IncomingWebhookParams = Type.Object({ id: Uuid, webhook_id: Uuid });
export const IncomingPostParams = Type.Object({ secret: Type.String({ minLength: 1, maxLength: 100 }) });
export const IncomingPostHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: IDEMPOTENCY_KEY_MAX_CHARS, pattern: '^[\\x21-\\x7e]+$', description: 'a repeat with the same key posts nothing new' })),
});
