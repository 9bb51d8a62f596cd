/**
 * Renders a classified error (src/errors/classify-error.ts) as RFC 9457 problem details with
 * a stable `code`. Unknown failures carry only the request id; the cause stays in the log.
 */
import { ERROR_STATUS, ERROR_TITLES, type ErrorCode, type FieldError, type Problem } from '@pneumatic/protocol';
import { classifyError } from '../errors/classify-error.js';

export interface ProblemWithHeaders {
  problem: Problem;
  headers: Record<string, string>;
  /** Whether the failure is ours (log it as an error) rather than the client's. */
  serverFault: boolean;
}

export function problem(code: ErrorCode, detail: string, extra: { requestId?: string; status?: number; errors?: FieldError[] } = {}): Problem {
  return {
    type: 'about:blank',
    title: ERROR_TITLES[code],
    status: extra.status ?? ERROR_STATUS[code],
    detail,
    code,
    ...(extra.requestId ? { request_id: extra.requestId } : {}),
    // RFC 9457 §3.2: an extension member, here the invalid fields of an invalid_request.
    ...(extra.errors ? { errors: extra.errors } : {}),
  };
}

export function toProblem(error: unknown, requestId: string): ProblemWithHeaders {
  const classified = classifyError(error);
  const headers: Record<string, string> = {};
  if (classified.retryAfterSeconds !== undefined) headers['retry-after'] = String(classified.retryAfterSeconds);
  const body = problem(classified.code, classified.detail, {
    status: classified.status,
    ...(classified.errors ? { errors: classified.errors } : {}),
    // Only an unexplained failure needs the id, to find its cause in the log.
    ...(classified.code === 'internal_error' ? { requestId } : {}),
  });
  return { problem: body, headers, serverFault: classified.serverFault };
}
