/**
 * The protocol's registration policies and invite limits (docs/API.md, "Registration and
 * invites"), as plain values: their module (invites.ts) holds TypeBox schemas, which the SDK's
 * bundle leaves out. A unit test holds each equal to the protocol's.
 */
import type { RegistrationPolicy } from './types.js';

export const REGISTRATION_POLICIES: readonly RegistrationPolicy[] = ['open', 'invite', 'closed'];
/** Every invite code starts with this. */
export const INVITE_CODE_PREFIX = 'pni_';
export const INVITE_EXPIRY_MIN_SECONDS = 60;
export const INVITE_EXPIRY_MAX_SECONDS = 30 * 86_400;
export const INVITE_EXPIRY_DEFAULT_SECONDS = 7 * 86_400;
export const INVITE_USES_MAX = 1000;
