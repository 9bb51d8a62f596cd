import { Type, type Static } from 'typebox';
import { ATTACHMENTS_MAX_PER_MESSAGE } from './uploads.js';

/** The configurable input limits of ../shared/API.md that request schemas are built from. */
export interface Limits {
  readonly usernameMinChars: number;
  readonly usernameMaxChars: number;
  readonly passwordMinChars: number;
  readonly passwordMaxChars: number;
  readonly titleMaxChars: number;
  readonly contentMaxChars: number;
  readonly membersMax: number;
}

export const DEFAULT_LIMITS: Limits = Object.freeze({
  usernameMinChars: 3,
  usernameMaxChars: 32,
  passwordMinChars: 8,
  passwordMaxChars: 1024,
  titleMaxChars: 200,
  contentMaxChars: 4000,
  membersMax: 1000,
});

/**
 * At most this many pinned messages per conversation (docs/API.md, "Pins"); one more is 409
 * too_many_pins. A fixed part of the contract, not a setting: clients size their pin list by it.
 */
export const PINS_MAX_PER_CONVERSATION = 50;

export const USERNAME_PATTERN = '^[A-Za-z0-9_.-]+$';

/**
 * Text both databases store exactly as sent: no NUL (PostgreSQL text refuses it) and no lone
 * UTF-16 surrogate (it has no UTF-8 form, so it would come back altered as U+FFFD).
 */
export const STORABLE_TEXT_PATTERN = '^(?:[^\\u0000\\uD800-\\uDFFF]|[\\uD800-\\uDBFF][\\uDC00-\\uDFFF])*$';

/**
 * The limits a server enforces, as `GET /limits` publishes them: clients validate against these
 * rather than against compiled-in defaults, which an operator may have changed.
 */
export const ServerLimits = Type.Object(
  {
    username_min_chars: Type.Integer({ minimum: 1 }),
    username_max_chars: Type.Integer({ minimum: 1 }),
    username_pattern: Type.String({ description: 'ECMAScript regular expression a username must match' }),
    password_min_chars: Type.Integer({ minimum: 1 }),
    password_max_chars: Type.Integer({ minimum: 1 }),
    title_max_chars: Type.Integer({ minimum: 1 }),
    content_max_chars: Type.Integer({ minimum: 1, description: 'In Unicode code points, as JSON Schema maxLength counts (an emoji is one)' }),
    members_max: Type.Integer({ minimum: 1, description: 'Most member_ids in one POST /conversations' }),
    body_max_bytes: Type.Integer({ minimum: 1, description: 'Largest HTTP request body' }),
    ws_max_frame_bytes: Type.Integer({ minimum: 1, description: 'Largest WebSocket frame; larger closes with 1009' }),
    upload_max_bytes: Type.Integer({ minimum: 1, description: 'Largest file POST /uploads accepts (docs/API.md, "Files and images")' }),
    upload_quota_bytes: Type.Integer({ minimum: 1, description: 'Bytes of uploads one user may keep' }),
    attachments_max: Type.Integer({ minimum: 1, description: 'Most attachments on one message' }),
  },
  { title: 'Limits' },
);
export type ServerLimits = Static<typeof ServerLimits>;

/** The wire form of the limits, for `GET /limits`. */
export function toServerLimits(limits: Limits, transport: { bodyMaxBytes: number; wsMaxFrameBytes: number; uploadMaxBytes: number; uploadQuotaBytes: number }): ServerLimits {
  return {
    username_min_chars: limits.usernameMinChars,
    username_max_chars: limits.usernameMaxChars,
    username_pattern: USERNAME_PATTERN,
    password_min_chars: limits.passwordMinChars,
    password_max_chars: limits.passwordMaxChars,
    title_max_chars: limits.titleMaxChars,
    content_max_chars: limits.contentMaxChars,
    members_max: limits.membersMax,
    body_max_bytes: transport.bodyMaxBytes,
    ws_max_frame_bytes: transport.wsMaxFrameBytes,
    upload_max_bytes: transport.uploadMaxBytes,
    upload_quota_bytes: transport.uploadQuotaBytes,
    attachments_max: ATTACHMENTS_MAX_PER_MESSAGE,
  };
}
