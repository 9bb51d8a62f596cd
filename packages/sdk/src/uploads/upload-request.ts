/** One POST /uploads as both transports (xhr-upload.ts, fetch-upload.ts) see it: what to send, and what the answer means. */
import { PneumaticError } from '../errors.js';
import { problemError } from '../http-client.js';
import type { Upload } from '../types.js';
import type { MultipartEnvelope } from './multipart-envelope.js';
import type { ProgressReporter } from './progress-reporter.js';
import type { UploadSource } from './upload-source.js';

export interface UploadRequest {
  url: string;
  /** The bearer token, or null (the server then answers 401). */
  token: string | null;
  source: UploadSource;
  envelope: MultipartEnvelope;
  progress: ProgressReporter;
  signal?: AbortSignal;
}

/** The request's headers besides what the transport sets itself. */
export function uploadHeaders(request: UploadRequest): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': request.envelope.contentType };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  return headers;
}

/** The 201 body as an Upload; a problem response as a PneumaticError with the server's code. */
export function uploadResult(status: number, retryAfter: string | null, text: string): Upload {
  if (status >= 400) throw problemError(status, retryAfter, text);
  try {
    return JSON.parse(text) as Upload;
  } catch (error) {
    throw new PneumaticError('invalid_response', 'POST /uploads: the body is not JSON', status, null, { cause: error });
  }
}

export function abortedError(cause?: unknown): PneumaticError {
  return new PneumaticError('aborted', 'The upload was cancelled.', null, null, { cause });
}

export function networkError(cause: unknown): PneumaticError {
  const why = cause instanceof Error ? cause.message : 'the connection failed';
  return new PneumaticError('network', `POST /uploads: ${why}`, null, null, { cause });
}
