/**
 * Uploading in browsers: XMLHttpRequest, whose `upload.onprogress` reports the bytes the browser
 * has sent (fetch cannot, and browsers send no streamed fetch body over HTTP/1.1). The body is
 * one Blob of envelope, file and closing boundary, so the browser streams the file from disk and
 * the envelope's known length turns the body's progress into the file's.
 */
import type { Upload } from '../types.js';
import { abortedError, networkError, uploadHeaders, uploadResult, type UploadRequest } from './upload-request.js';

/** The part of XMLHttpRequest used here (the SDK compiles without the DOM library). */
interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: Blob): void;
  abort(): void;
  getResponseHeader(name: string): string | null;
  readonly status: number;
  readonly responseText: string;
  readonly upload: { onprogress: ((event: { loaded: number }) => void) | null; onload: (() => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}

type XhrConstructor = new () => XhrLike;

/** The platform's XMLHttpRequest, or null (Node). */
export function xhrConstructor(): XhrConstructor | null {
  const found = (globalThis as unknown as { XMLHttpRequest?: XhrConstructor }).XMLHttpRequest;
  return typeof found === 'function' ? found : null;
}

export function xhrUpload(Xhr: XhrConstructor, request: UploadRequest): Promise<Upload> {
  const { envelope, progress, signal } = request;
  return new Promise<Upload>((resolve, reject) => {
    const xhr = new Xhr();
    const onAbort = () => xhr.abort();
    const done = () => signal?.removeEventListener('abort', onAbort);
    xhr.open('POST', request.url);
    for (const [name, value] of Object.entries(uploadHeaders(request))) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => progress.report(event.loaded - envelope.head.byteLength);
    // Fired once the whole body is out, before the answer: the promised final loaded === total.
    xhr.upload.onload = () => progress.finish();
    xhr.onload = () => {
      done();
      try {
        const upload = uploadResult(xhr.status, xhr.getResponseHeader('retry-after'), xhr.responseText);
        progress.finish();
        resolve(upload);
      } catch (error) {
        reject(error as Error);
      }
    };
    xhr.onerror = () => {
      done();
      reject(networkError(new Error('the request failed (network error or refused by CORS)')));
    };
    xhr.onabort = () => {
      done();
      reject(abortedError(signal?.reason));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    xhr.send(new Blob([envelope.head, request.source.blob(), envelope.tail]));
  });
}
