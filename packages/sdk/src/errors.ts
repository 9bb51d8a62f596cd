import type { FieldError } from '@pneumatic/protocol';
import type { ErrorCode } from './types.js';

/**
 * Codes the SDK adds to the server's: transport failures and local give-ups. `aborted`: the
 * caller cancelled the request (an upload's `signal`); not retryable, nothing to report.
 */
export type ClientErrorCode = 'network' | 'deadline_exceeded' | 'closed' | 'invalid_response' | 'aborted';

/** Every failure the SDK reports: a server problem (HTTP or socket error frame) or a local one. */
export class PneumaticError extends Error {
  override readonly name = 'PneumaticError';

  /**
   * The invalid fields of a refused request (problem+json `errors`: RFC 6901 pointers such as
   * `/username`, each with a detail), or empty when the server named none.
   */
  readonly errors: readonly FieldError[];

  constructor(
    /** A wire error code of API.md, or one of {@link ClientErrorCode}. */
    readonly code: ErrorCode | ClientErrorCode | (string & {}),
    message: string,
    /** HTTP status, when the error came from an HTTP response. */
    readonly status: number | null = null,
    /** From `Retry-After` on a 429/503, in milliseconds. */
    readonly retryAfterMs: number | null = null,
    options?: { cause?: unknown; errors?: readonly FieldError[] },
  ) {
    super(message, options);
    this.errors = options?.errors ?? [];
  }

  /** The detail for one field, by JSON Pointer (`/title`), or by pointer prefix for array items (`/member_ids`). */
  fieldError(pointer: string): string | null {
    return this.errors.find((e) => e.pointer === pointer || e.pointer.startsWith(`${pointer}/`))?.detail ?? null;
  }
}

/** The well-formed entries of a problem's `errors` member; anything else is ignored. */
export function fieldErrorsOf(problem: unknown): FieldError[] {
  const errors = (problem as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors.filter((e): e is FieldError => typeof (e as FieldError | null)?.pointer === 'string' && typeof (e as FieldError).detail === 'string');
}

// request_timeout: the server gave up waiting for the request's bytes (a slow network), so a resend can succeed.
const RETRYABLE = new Set<string>(['network', 'unavailable', 'rate_limited', 'internal_error', 'request_timeout']);

/**
 * Whether repeating the same request (same message_id) can succeed. A 500 is included: the
 * send may have committed, and the idempotent resend then returns the stored message.
 */
export function isRetryable(error: unknown): boolean {
  return error instanceof PneumaticError && RETRYABLE.has(error.code);
}
