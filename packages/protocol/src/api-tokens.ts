/** API tokens (docs/API.md, "API tokens and scopes") and the bots they authenticate (docs/API.md, "Bots"). */
import { Type, type Static } from 'typebox';
import { Timestamp, User, Uuid } from './models.js';
import { API_TOKEN_NAME_MAX_CHARS, API_TOKEN_PREFIX, SCOPES } from './scopes.js';

export * from './scopes.js';

export const ScopeName = Type.Union(
  [Type.Literal('messages:read'), Type.Literal('messages:write'), Type.Literal('conversations:manage'), Type.Literal('account:manage'), Type.Literal('webhooks:manage'), Type.Literal('admin')],
  { description: 'what the token may do (docs/API.md, "API tokens and scopes")' },
);

/** The body of POST /tokens. */
export const ApiTokenInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: API_TOKEN_NAME_MAX_CHARS, description: 'what the token is for, shown in the list' }),
    scopes: Type.Array(ScopeName, { minItems: 1, maxItems: SCOPES.length, uniqueItems: true }),
    expires_at: Type.Optional(Type.Union([Timestamp, Type.Null()], { description: 'when it stops working; absent or null: never' })),
  },
  { title: 'ApiTokenInput', additionalProperties: false },
);
export type ApiTokenInput = Static<typeof ApiTokenInput>;

/** A token as its owner sees it: never its secret. */
export const ApiToken = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    scopes: Type.Array(ScopeName),
    created_at: Timestamp,
    expires_at: Type.Union([Timestamp, Type.Null()]),
  },
  { title: 'ApiToken' },
);
export type ApiToken = Static<typeof ApiToken>;

/** The answer to POST /tokens: the only time the secret is shown. */
export const CreatedApiToken = Type.Object(
  {
    token: ApiToken,
    secret: Type.String({ description: `the bearer token, starting with ${API_TOKEN_PREFIX}; shown once, stored only as a hash` }),
  },
  { title: 'CreatedApiToken' },
);
export type CreatedApiToken = Static<typeof CreatedApiToken>;

export const ApiTokenList = Type.Object({ tokens: Type.Array(ApiToken) }, { title: 'ApiTokenList' });
export type ApiTokenList = Static<typeof ApiTokenList>;

export const ApiTokenParams = Type.Object({ id: Uuid });

/** A bot as its owner sees it: its user record (`is_bot` true) and who owns it. */
export const Bot = Type.Object({ user: User, owner_id: Uuid }, { title: 'Bot' });
export type Bot = Static<typeof Bot>;

export const BotList = Type.Object({ bots: Type.Array(Bot) }, { title: 'BotList' });
export type BotList = Static<typeof BotList>;

export const BotParams = Type.Object({ id: Uuid });
export const BotTokenParams = Type.Object({ id: Uuid, token_id: Uuid });
