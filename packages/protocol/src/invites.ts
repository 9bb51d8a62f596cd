/**
 * Registration policy and invite links (docs/API.md, "Registration and invites"), without
 * server code, so the SDK and the web app share the names and limits.
 */
import { Type, type Static } from 'typebox';
import { Timestamp, Uuid } from './models.js';
import { SsoProvider } from './sso.js';

export const REGISTRATION_POLICIES = ['open', 'invite', 'closed'] as const;
export type RegistrationPolicy = (typeof REGISTRATION_POLICIES)[number];

/** Every invite code starts with this, so people and secret scanners can tell one at a glance. */
export const INVITE_CODE_PREFIX = 'pni_';
export const INVITE_EXPIRY_MIN_SECONDS = 60;
export const INVITE_EXPIRY_MAX_SECONDS = 30 * 86_400;
export const INVITE_EXPIRY_DEFAULT_SECONDS = 7 * 86_400;
export const INVITE_USES_MAX = 1000;

/** POST /invites. */
export const CreateInvite = Type.Object(
  {
    expires_in_seconds: Type.Optional(Type.Integer({ minimum: INVITE_EXPIRY_MIN_SECONDS, maximum: INVITE_EXPIRY_MAX_SECONDS, default: INVITE_EXPIRY_DEFAULT_SECONDS })),
    max_uses: Type.Optional(Type.Integer({ minimum: 1, maximum: INVITE_USES_MAX, default: 1, description: 'accounts the link may create' })),
  },
  { additionalProperties: false, title: 'CreateInvite' },
);
export type CreateInvite = Static<typeof CreateInvite>;

export const Invite = Type.Object(
  {
    id: Uuid,
    created_by: Uuid,
    created_at: Timestamp,
    expires_at: Timestamp,
    max_uses: Type.Integer({ minimum: 1 }),
    uses: Type.Integer({ minimum: 0, description: 'accounts created with it so far' }),
  },
  { title: 'Invite' },
);
export type Invite = Static<typeof Invite>;

/** The answer to POST /invites: the code is shown this once (only its hash is kept). */
export const CreatedInvite = Type.Object(
  {
    invite: Invite,
    code: Type.String({ description: `${INVITE_CODE_PREFIX}…: give it as "invite" to POST /users` }),
    path: Type.String({ description: 'the web app\'s sign-up page for this code, relative to the server: /#/invite/<code>' }),
  },
  { title: 'CreatedInvite' },
);
export type CreatedInvite = Static<typeof CreatedInvite>;

export const InviteList = Type.Object({ invites: Type.Array(Invite) }, { title: 'InviteList' });
export type InviteList = Static<typeof InviteList>;

/** GET /login-options (no token): what the sign-up and log-in screens should offer. */
export const LoginOptions = Type.Object(
  {
    registration: Type.Union([Type.Literal('open'), Type.Literal('invite'), Type.Literal('closed')]),
    password_login: Type.Boolean({ description: 'whether POST /sessions with a username and password works (PASSWORD_LOGIN)' }),
    providers: Type.Array(SsoProvider, { description: 'single sign-on providers: one "Log in with …" button each' }),
  },
  { title: 'LoginOptions' },
);
export type LoginOptions = Static<typeof LoginOptions>;
