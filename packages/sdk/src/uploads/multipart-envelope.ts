/**
 * The multipart/form-data body around one file part (RFC 7578): what goes before the file's
 * bytes and after them. Built by hand so the body can be streamed and its parts counted: progress
 * reports the file's bytes, not the envelope's.
 */
import type { UPLOAD_FILE_FIELD } from '@pneumatic/protocol';

// The protocol's constant, restated: importing the protocol's values would bundle TypeBox into
// the SDK (rollup.config.mjs). The type makes the compiler hold the two equal.
const FILE_FIELD: typeof UPLOAD_FILE_FIELD = 'file';

export interface MultipartEnvelope {
  /** The request's Content-Type, with the boundary. */
  contentType: string;
  /** The boundary line and the part's headers, up to the blank line before the bytes. */
  head: Uint8Array<ArrayBuffer>;
  /** The line break after the bytes and the closing boundary. */
  tail: Uint8Array<ArrayBuffer>;
}

const encoder = new TextEncoder();

export function multipartEnvelope(filename: string, contentType: string, boundary = randomBoundary()): MultipartEnvelope {
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${FILE_FIELD}"; filename="${escapeQuoted(filename)}"\r\nContent-Type: ${headerSafe(contentType)}\r\n\r\n`;
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    head: encoder.encode(head),
    tail: encoder.encode(`\r\n--${boundary}--\r\n`),
  };
}

/**
 * As browsers encode a filename in a form (WHATWG HTML, "multipart/form-data encoding
 * algorithm"): `"`, CR and LF percent-encoded, everything else as UTF-8, which the server reads.
 */
export function escapeQuoted(value: string): string {
  return value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A claimed type that could break the header (a Blob's type is the caller's string) is replaced: the server ignores it anyway. */
function headerSafe(type: string): string {
  return /^[\x21-\x7e]+(?:;[\x20-\x7e]*)?$/.test(type) ? type : 'application/octet-stream';
}

/** 24 random hex digits: a boundary that cannot plausibly occur in the file (as browsers do). */
function randomBoundary(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(12));
  return `----PneumaticUpload${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
