/** What `client.upload()` takes: the file, and how to follow or cancel its upload. */

/** A file to upload: a `Blob` or `File` (browsers, Node 20+), or its bytes (then name it with `filename`). */
export type UploadInput = Blob | Uint8Array | ArrayBuffer;

/** How much of the file has been sent. */
export interface UploadProgress {
  /** Bytes of the file (not of the multipart envelope around it) sent so far. */
  loaded: number;
  /** The file's size in bytes. */
  total: number;
}

export interface UploadOptions {
  /** The name the upload gets (display text). Default: a `File`'s name, else `file`. */
  filename?: string;
  /**
   * Called as the file's bytes go out: `loaded` never decreases, and once every byte has been
   * sent there is a call with `loaded === total` (before the server has answered).
   */
  onProgress?: (progress: UploadProgress) => void;
  /** Aborting cancels the request: the promise rejects with `code: 'aborted'` and the server keeps nothing. */
  signal?: AbortSignal;
}
