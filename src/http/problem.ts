/**
 * Turns anything thrown while serving a request into RFC 9457 problem details with a stable
 * `code`. Unknown failures become a 500 carrying only the request id; the cause stays in the log.
 */
import type { FastifyError } from 'fastify';
import { AppError } from '../domain/errors.js';
import { ERROR_STATUS, ERROR_TITLES, type ErrorCode, type Problem } from '@pneumatic/protocol';
import { isDatabaseUnavailable } from '../store/sql-errors.js';
import { describeIssues, type ValidationIssue } from '../validation/schema-validator.js';

export interface ProblemWithHeaders {
  problem: Problem;
  headers: Record<string, string>;
  /** Whether the failure is ours (log it as an error) rather than the client's. */
  serverFault: boolean;
}

/** Fastify's own errors, by code, for input it refused before our handlers ran. */
const FASTIFY_CODES: Record<string, { code: ErrorCode; detail: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload_too_large', detail: 'The request body is larger than the server accepts.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported_media_type', detail: 'Send the body as application/json.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'invalid_request', detail: 'Content-Length does not match the body.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'invalid_request', detail: 'body: a JSON object is required.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'invalid_json', detail: 'The body is not valid JSON.' },
  FST_ERR_CTP_EMPTY_TYPE: { code: 'unsupported_media_type', detail: 'The Content-Type header is empty.' },
  FST_ERR_CTP_INVALID_TYPE: { code: 'unsupported_media_type', detail: 'The Content-Type header is invalid.' },
};

export function problem(code: ErrorCode, detail: string, requestId?: string): Problem {
  return {
    type: 'about:blank',
    title: ERROR_TITLES[code],
    status: ERROR_STATUS[code],
    detail,
    code,
    ...(requestId ? { request_id: requestId } : {}),
  };
}

export function toProblem(error: unknown, requestId: string): ProblemWithHeaders {
  if (error instanceof AppError) {
    const headers: Record<string, string> = {};
    if (error.options.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.options.retryAfterSeconds);
    if (error.code === 'unavailable') headers['retry-after'] = '1';
    return { problem: problem(error.code, error.detail), headers, serverFault: false };
  }
  const fastifyError = error as Partial<FastifyError> & { validation?: ValidationIssue[]; validationContext?: string };
  if (fastifyError.validation) {
    const detail = describeIssues(fastifyError.validation, fastifyError.validationContext ?? 'request');
    return { problem: problem('invalid_request', detail), headers: {}, serverFault: false };
  }
  const known = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (known) return { problem: problem(known.code, known.detail), headers: {}, serverFault: false };
  if (error instanceof SyntaxError || /prototype|__proto__|constructor/i.test(fastifyError.message ?? '')) {
    // secure-json-parse refuses __proto__ and constructor.prototype keys: prototype pollution attempts.
    if (fastifyError.statusCode === 400) return { problem: problem('invalid_json', 'The body is not acceptable JSON.'), headers: {}, serverFault: false };
  }
  if (isDatabaseUnavailable(error)) {
    return { problem: problem('unavailable', 'The database is unavailable; retry shortly.'), headers: { 'retry-after': '1' }, serverFault: true };
  }
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code: ErrorCode = status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : status === 404 ? 'not_found' : 'invalid_request';
    return { problem: { ...problem(code, 'The request was refused.'), status }, headers: {}, serverFault: false };
  }
  return { problem: problem('internal_error', 'Something went wrong on our side.', requestId), headers: {}, serverFault: true };
}
