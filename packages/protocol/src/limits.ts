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

export const USERNAME_PATTERN = '^[A-Za-z0-9_.-]+$';

/**
 * Text both databases store exactly as sent: no NUL (PostgreSQL text refuses it) and no lone
 * UTF-16 surrogate (it has no UTF-8 form, so it would come back altered as U+FFFD).
 */
export const STORABLE_TEXT_PATTERN = '^(?:[^\\u0000\\uD800-\\uDFFF]|[\\uD800-\\uDBFF][\\uDC00-\\uDFFF])*$';
