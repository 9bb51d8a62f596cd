/**
 * API token scopes (docs/API.md, "API tokens and scopes"), without TypeBox, so the SDK and the
 * web app can list them at no bundle cost.
 *
 * What a token may do. A login session holds every scope; an API token holds those it was
 * created with. docs/API.md lists which routes and frames each one opens.
 */
export const SCOPES = ['messages:read', 'messages:write', 'conversations:manage', 'account:manage', 'webhooks:manage', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** Longest token name, in characters. */
export const API_TOKEN_NAME_MAX_CHARS = 100;

/** Every API token secret starts with this, so secret scanners and people can tell one at a glance. */
export const API_TOKEN_PREFIX = 'pnt_';
