/**
 * The file to upload as the transports need it: its size, name and claimed type, its bytes by
 * range (read as the request body is pulled, so a large Blob is never held whole), or as one Blob.
 */
import type { UploadInput } from './upload-options.js';

export interface UploadSource {
  readonly size: number;
  readonly filename: string;
  /** The type the client claims; the server ignores it and determines the type from the bytes. */
  readonly contentType: string;
  /** Bytes [start, end) of the file. */
  read(start: number, end: number): Promise<Uint8Array>;
  /** The whole file as a Blob (for XMLHttpRequest, which streams a Blob itself). */
  blob(): Blob;
}

const DEFAULT_TYPE = 'application/octet-stream';

export function uploadSource(input: UploadInput, filename?: string): UploadSource {
  if (isBlob(input)) {
    const name = filename || (input as { name?: unknown }).name;
    return {
      size: input.size,
      filename: typeof name === 'string' && name ? name : 'file',
      contentType: input.type || DEFAULT_TYPE,
      read: async (start, end) => new Uint8Array(await input.slice(start, end).arrayBuffer()),
      blob: () => input,
    };
  }
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  return {
    size: bytes.byteLength,
    filename: filename || 'file',
    contentType: DEFAULT_TYPE,
    // A view, not a copy: the caller must not change the bytes while they upload.
    read: (start, end) => Promise.resolve(bytes.subarray(start, end)),
    blob: () => new Blob([bytes as Uint8Array<ArrayBuffer>], { type: DEFAULT_TYPE }),
  };
}

function isBlob(input: UploadInput): input is Blob {
  return typeof Blob !== 'undefined' && input instanceof Blob;
}
