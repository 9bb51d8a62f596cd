/**
 * Uploading where there is no XMLHttpRequest (Node): fetch with a request body streamed from a
 * ReadableStream built here: the envelope's head, the file's bytes in chunks read as the
 * stream is pulled (a large Blob is never held whole), then the closing boundary. A chunk counts
 * as sent when fetch pulls it, so progress follows the socket's pace rather than the disk's.
 */
import type { Upload } from '../types.js';
import { abortedError, networkError, uploadHeaders, uploadResult, type UploadRequest } from './upload-request.js';

/** Bytes read and handed to fetch per pull. */
const CHUNK_BYTES = 64 * 1024;

export async function fetchUpload(request: UploadRequest): Promise<Upload> {
  const { signal } = request;
  // `connection: close`: a refusal (413, 400) can come while the body is still streaming; fetch
  // then stops sending it, and a connection reused after that half-sent body would feed the next
  // request into it as body bytes. Its own connection per upload costs little next to a file.
  // fetch ties the request to the signal: aborting cancels the body stream and the socket.
  const headers = { ...uploadHeaders(request), connection: 'close' };
  const init = { method: 'POST', headers, body: bodyStream(request), duplex: 'half', signal };
  let status: number;
  let retryAfter: string | null;
  let text: string;
  try {
    // `duplex` is not in every RequestInit typing yet; Node requires it for a stream body.
    const response = await globalThis.fetch(request.url, init as RequestInit);
    status = response.status;
    retryAfter = response.headers.get('retry-after');
    text = await response.text();
  } catch (error) {
    if (signal?.aborted) throw abortedError(signal.reason);
    throw networkError(error);
  }
  const upload = uploadResult(status, retryAfter, text);
  request.progress.finish();
  return upload;
}

/** The multipart body, produced only as fast as fetch pulls it (highWaterMark 0: nothing read ahead). */
function bodyStream({ source, envelope, progress }: UploadRequest): ReadableStream<Uint8Array> {
  let offset = -1; // -1: the head is next
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (offset < 0) {
          controller.enqueue(envelope.head);
          offset = 0;
          return;
        }
        if (offset < source.size) {
          const chunk = await source.read(offset, Math.min(source.size, offset + CHUNK_BYTES));
          offset += chunk.byteLength;
          controller.enqueue(chunk);
          progress.report(offset);
          return;
        }
        progress.finish();
        controller.enqueue(envelope.tail);
        controller.close();
      },
    },
    { highWaterMark: 0 },
  );
}
