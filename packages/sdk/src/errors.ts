import type { ErrorCode } from './types.js';

/** Codes the SDK adds to the server's: transport failures and local give-ups. */
export type ClientErrorCode = 'network' | 'deadline_exceeded' | 'closed' | 'invalid_response';

/** Every failure the SDK reports: a server problem (HTTP or socket error frame) or a local one. */
export class PneumaticError extends Error {
  override readonly name = 'PneumaticError';

  constructor(
    /** A wire error code of API.md, or one of {@link ClientErrorCode}. */
    readonly code: ErrorCode | ClientErrorCode | (string & {}),
    message: string,
    /** HTTP status, when the error came from an HTTP response. */
    readonly status: number | null = null,
    /** From `Retry-After` on a 429/503, in milliseconds. */
    readonly retryAfterMs: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const RETRYABLE = new Set<string>(['network', 'unavailable', 'rate_limited', 'internal_error']);

/**
 * Whether repeating the same request (same message_id) can succeed. A 500 is included: the
 * send may have committed, and the idempotent resend then returns the stored message.
 */
export function isRetryable(error: unknown): boolean {
  return error instanceof PneumaticError && RETRYABLE.has(error.code);
}
