/**
 * Single sign-on with OpenID Connect (docs/API.md, "Single sign-on"), without server code, so the
 * SDK and the web app share the names.
 */
import { Type, type Static } from 'typebox';
import { Timestamp } from './models.js';

/** Every one-time login code starts with this (the callback hands one to the web app). */
export const LOGIN_CODE_PREFIX = 'pnl_';
/** A provider id in configuration and in paths: `/auth/oidc/{provider}/…`. */
export const SSO_PROVIDER_ID_PATTERN = '^[a-z0-9][a-z0-9-]{0,31}$';
export const SSO_RETURN_TO_MAX_CHARS = 2048;

/** One "Log in with …" button. */
export const SsoProvider = Type.Object(
  { id: Type.String({ pattern: SSO_PROVIDER_ID_PATTERN }), name: Type.String({ description: 'the button\'s label: "Log in with <name>"' }) },
  { title: 'SsoProvider' },
);
export type SsoProvider = Static<typeof SsoProvider>;

/** POST /auth/oidc/{provider}/authorize. */
export const StartSso = Type.Object(
  {
    return_to: Type.Optional(Type.String({ minLength: 1, maxLength: SSO_RETURN_TO_MAX_CHARS, description: 'where the browser goes after the provider: a path on this server, or a URL on an origin of CORS_ORIGINS; default /' })),
    link: Type.Optional(Type.Boolean({ default: false, description: 'link the identity to the caller (needs a token) instead of logging in' })),
  },
  { additionalProperties: false, title: 'StartSso' },
);
export type StartSso = Static<typeof StartSso>;

export const SsoAuthorization = Type.Object(
  { authorization_url: Type.String({ description: 'send the browser here (the answer also sets the pneumatic_sso cookie the callback checks)' }) },
  { title: 'SsoAuthorization' },
);
export type SsoAuthorization = Static<typeof SsoAuthorization>;

/** The callback's query, as the provider sends it. */
export const SsoCallbackQuery = Type.Object(
  {
    state: Type.Optional(Type.String({ maxLength: 512 })),
    code: Type.Optional(Type.String({ maxLength: 4096 })),
    error: Type.Optional(Type.String({ maxLength: 256 })),
    error_description: Type.Optional(Type.String({ maxLength: 2048 })),
    iss: Type.Optional(Type.String({ maxLength: 2048 })),
  },
  { title: 'SsoCallbackQuery' },
);
export type SsoCallbackQuery = Static<typeof SsoCallbackQuery>;

/** POST /sessions/sso. */
export const SsoLogin = Type.Object(
  { login_code: Type.String({ minLength: 1, maxLength: 256, description: `${LOGIN_CODE_PREFIX}…, from the callback's redirect (#/sso/<login_code>)` }) },
  { additionalProperties: false, title: 'SsoLogin' },
);
export type SsoLogin = Static<typeof SsoLogin>;

/** An identity at a provider, linked to the caller's account. */
export const LinkedIdentity = Type.Object(
  {
    provider: Type.String({ description: 'the provider id' }),
    provider_name: Type.String(),
    email: Type.Union([Type.String(), Type.Null()], { description: 'as the provider last said (never used to link accounts)' }),
    linked_at: Timestamp,
    last_login_at: Type.Union([Timestamp, Type.Null()]),
  },
  { title: 'LinkedIdentity' },
);
export type LinkedIdentity = Static<typeof LinkedIdentity>;

export const LinkedIdentityList = Type.Object(
  {
    identities: Type.Array(LinkedIdentity),
    has_password: Type.Boolean({ description: 'false for an account made by single sign-on: it logs in only through its providers (and has no password to change)' }),
  },
  { title: 'LinkedIdentityList' },
);
export type LinkedIdentityList = Static<typeof LinkedIdentityList>;
