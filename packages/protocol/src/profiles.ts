/**
 * Profiles, the directory and login sessions (docs/API.md, "Profiles", "Finding people",
 * "Password and sessions"). Limits are fixed parts of the contract: clients size their inputs by them.
 */
import { Type, type Static } from 'typebox';
import { STORABLE_TEXT_PATTERN } from './limits.js';
import { Timestamp, Uuid } from './models.js';

/** Longest display name, in characters (code points) after NFC normalisation. */
export const DISPLAY_NAME_MAX_CHARS = 64;
/** Longest status text, in characters (code points) after NFC normalisation. */
export const STATUS_TEXT_MAX_CHARS = 140;
/** A directory query is 2 to 64 characters once trimmed: one letter would match a tenth of everyone. */
export const DIRECTORY_QUERY_MIN_CHARS = 2;
export const DIRECTORY_QUERY_MAX_CHARS = 64;
export const DIRECTORY_LIMIT_MAX = 50;
/** Users fetched by id in one `GET /users?ids=`. */
export const USERS_BY_ID_MAX = 100;
/** An avatar is served as a square WebP of this side, in pixels. */
export const AVATAR_SIDE = 256;

export const DIRECTORY_VISIBILITIES = ['all', 'shared'] as const;
export type DirectoryVisibility = (typeof DIRECTORY_VISIBILITIES)[number];

/**
 * PATCH /users/me: each field optional; `null` or "" clears it. The server refuses (400
 * invalid_display_name / invalid_status_text) control characters, bidirectional overrides and
 * isolates, zero-width characters, and text over the limit.
 */
export const UpdateProfile = Type.Object(
  {
    display_name: Type.Optional(Type.Union([Type.String({ maxLength: 1000, pattern: STORABLE_TEXT_PATTERN }), Type.Null()])),
    status_text: Type.Optional(Type.Union([Type.String({ maxLength: 1000, pattern: STORABLE_TEXT_PATTERN }), Type.Null()])),
  },
  { additionalProperties: false, title: 'UpdateProfile' },
);
export type UpdateProfile = Static<typeof UpdateProfile>;

/** PUT /users/me/avatar: one of your own image uploads (POST /uploads), cropped square and resized by the server. */
export const SetAvatar = Type.Object({ upload_id: Uuid }, { additionalProperties: false, title: 'SetAvatar' });
export type SetAvatar = Static<typeof SetAvatar>;

/** GET /users?q=…: the directory, by prefix of a username or of any word of a display name. */
export const DirectoryQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 4000, pattern: STORABLE_TEXT_PATTERN, description: `${DIRECTORY_QUERY_MIN_CHARS} to ${DIRECTORY_QUERY_MAX_CHARS} characters once trimmed` })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: DIRECTORY_LIMIT_MAX, default: 20 })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'next_cursor of the previous page' })),
});
export type DirectoryQuery = Static<typeof DirectoryQuery>;

/** POST /users/me/password. */
export function changePasswordSchema(passwordMinChars: number, passwordMaxChars: number) {
  return Type.Object(
    {
      current_password: Type.String({ minLength: 1, maxLength: passwordMaxChars }),
      new_password: Type.String({ minLength: passwordMinChars, maxLength: passwordMaxChars }),
    },
    { additionalProperties: false, title: 'ChangePassword' },
  );
}
export interface ChangePassword {
  current_password: string;
  new_password: string;
}

/** One login session of the caller, as GET /sessions lists it (API tokens are listed by GET /tokens). */
export const Session = Type.Object(
  {
    id: Uuid,
    current: Type.Boolean({ description: 'the session this request was made with' }),
    created_at: Timestamp,
    last_used_at: Timestamp,
    expires_at: Timestamp,
    client: Type.Union([Type.String(), Type.Null()], { description: 'what the User-Agent says, e.g. "Chrome 131 on macOS"; null when it said nothing usable' }),
    ip: Type.Union([Type.String(), Type.Null()], { description: 'the approximate address last used from: an IPv4 /24 or IPv6 /48 network' }),
  },
  { title: 'Session' },
);
export type Session = Static<typeof Session>;
export const SessionList = Type.Object({ sessions: Type.Array(Session) }, { title: 'SessionList' });
export type SessionList = Static<typeof SessionList>;
