import { ERROR_STATUS, type ErrorCode, type FieldError } from '@pneumatic/protocol';

/**
 * The one error class for everything a client can be told. The transports map it to
 * problem+json (HTTP) or an error frame (WebSocket) through the same code table.
 */
export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    /** `errors`: which fields of the request are at fault (RFC 6901 pointers), as a schema's refusal names them. */
    readonly options: { retryAfterSeconds?: number; errors?: FieldError[] } = {},
  ) {
    super(detail);
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found.`);
export const notMember = () => new AppError('not_member', 'You are not a member of this conversation.');
