/**
 * The one error classifier of both transports: whatever was thrown while serving an HTTP
 * request or a WebSocket frame becomes a stable wire `code`, a status, a detail for humans and,
 * for invalid input, field errors. HTTP renders it as RFC 9457 problem+json (src/http/problem.ts),
 * the socket as an `error` frame (src/realtime/frame-dispatcher.ts). Unknown failures say
 * nothing about their cause; that stays in the log.
 */
import { ERROR_STATUS, type ErrorCode, type FieldError } from '@pneumatic/protocol';
import { AppError } from '../domain/errors.js';
import { storageFailureReason, type StorageFailureReason } from '../store/sql-errors.js';
import { ValidationFailure, type ValidationIssue } from '../validation/schema-validator.js';

export interface ClassifiedError {
  code: ErrorCode;
  /** The HTTP status; ERROR_STATUS[code] except for framework refusals that carry their own 4xx. */
  status: number;
  detail: string;
  /** For a Retry-After header (RFC 9110 §10.2.3). */
  retryAfterSeconds?: number;
  /** With invalid_request from a schema: one entry per invalid field. */
  errors?: FieldError[];
  /** Ours (log it as an error, with its cause) rather than the client's (debug at most). */
  serverFault: boolean;
}

/** Fastify's own errors, by code, for input it refused before our handlers ran. */
const FRAMEWORK_CODES: Record<string, { code: ErrorCode; detail: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload_too_large', detail: 'The request body is larger than the server accepts.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported_media_type', detail: 'Send the body as application/json.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'invalid_request', detail: 'Content-Length does not match the body.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'invalid_request', detail: 'body: a JSON object is required.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'invalid_json', detail: 'The body is not valid JSON.' },
  FST_ERR_CTP_EMPTY_TYPE: { code: 'unsupported_media_type', detail: 'The Content-Type header is empty.' },
  FST_ERR_CTP_INVALID_TYPE: { code: 'unsupported_media_type', detail: 'The Content-Type header is invalid.' },
};

/** The shape of a framework error: Fastify's, or a validation error from a schema it compiled. */
interface FrameworkError {
  code?: string;
  statusCode?: number;
  message?: string;
  validation?: ValidationIssue[];
  validationContext?: string;
}

const client = (code: ErrorCode, detail: string): ClassifiedError => ({ code, status: ERROR_STATUS[code], detail, serverFault: false });

/** Passing conditions (a lock, a restart) are retried at once; one that needs an operator, less often. */
const TRANSIENT_STORAGE = new Set<StorageFailureReason>(['busy', 'unreachable', 'cannot_connect_now']);

/**
 * 503 for a database that cannot serve now, never an ack. The cause is not told to the client.
 * A lock timeout is logged per request as before; the other reasons are logged once per
 * failure episode by the store's health tracker (src/store/health/storage-health.ts), so a
 * full disk does not write an error line per refused request.
 */
function storageUnavailable(reason: StorageFailureReason): ClassifiedError {
  const transient = TRANSIENT_STORAGE.has(reason);
  return {
    ...client('unavailable', transient ? 'The database is unavailable; retry shortly.' : 'The server cannot store anything right now; retry later.'),
    retryAfterSeconds: transient ? 1 : 5,
    serverFault: reason === 'busy',
  };
}

export function classifyError(error: unknown): ClassifiedError {
  if (error instanceof AppError) {
    // Unavailable always asks for a prompt retry: the condition is expected to pass.
    const retryAfterSeconds = error.code === 'unavailable' ? 1 : error.options.retryAfterSeconds;
    return {
      ...client(error.code, error.detail),
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
      ...(error.options.errors ? { errors: error.options.errors } : {}),
    };
  }
  const framework = (error ?? {}) as FrameworkError;
  const failure = error instanceof ValidationFailure ? error : framework.validation ? new ValidationFailure(framework.validation, framework.validationContext ?? 'request') : null;
  if (failure) return { ...client('invalid_request', failure.message), errors: failure.errors };
  const known = framework.code ? FRAMEWORK_CODES[framework.code] : undefined;
  if (known) return client(known.code, known.detail);
  // secure-json-parse refuses __proto__ and constructor.prototype keys: prototype pollution attempts.
  if ((error instanceof SyntaxError || /prototype|__proto__|constructor/i.test(framework.message ?? '')) && framework.statusCode === 400) {
    return client('invalid_json', 'The body is not acceptable JSON.');
  }
  const storage = storageFailureReason(error);
  if (storage) return storageUnavailable(storage);
  const status = framework.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code: ErrorCode = status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : status === 404 ? 'not_found' : 'invalid_request';
    return { ...client(code, 'The request was refused.'), status };
  }
  return { ...client('internal_error', 'Something went wrong on our side.'), serverFault: true };
}
