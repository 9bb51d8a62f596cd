/**
 * `client.upload()`: POST /uploads (docs/API.md, "Files and images") with real progress and
 * cancellation, over XMLHttpRequest in browsers and a streamed fetch body elsewhere.
 */
import type { HttpClient } from '../http-client.js';
import type { Upload } from '../types.js';
import { fetchUpload } from './fetch-upload.js';
import { multipartEnvelope } from './multipart-envelope.js';
import { ProgressReporter } from './progress-reporter.js';
import type { UploadInput, UploadOptions } from './upload-options.js';
import { abortedError, type UploadRequest } from './upload-request.js';
import { uploadSource } from './upload-source.js';
import { xhrConstructor, xhrUpload } from './xhr-upload.js';

export async function uploadFile(http: HttpClient, input: UploadInput, options: UploadOptions = {}): Promise<Upload> {
  if (options.signal?.aborted) throw abortedError(options.signal.reason);
  const source = uploadSource(input, options.filename);
  const request: UploadRequest = {
    url: `${http.baseUrl}/uploads`,
    token: http.token,
    source,
    envelope: multipartEnvelope(source.filename, source.contentType),
    progress: new ProgressReporter(source.size, options.onProgress),
    signal: options.signal,
  };
  const Xhr = xhrConstructor();
  return Xhr ? xhrUpload(Xhr, request) : fetchUpload(request);
}
