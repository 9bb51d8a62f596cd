/**
 * A filename as a client sent it, made safe to show: it is display text only (storage keys come
 * from the upload's id), so path separators and `..` stay as typed, but control characters
 * (C0, DEL, C1) and bidirectional overrides, which can disguise a name (`exe.txt` shown for
 * `txt.exe`), are removed, and the length is bounded.
 */
export const FILENAME_MAX_CHARS = 255;

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function displayFilename(raw: string): string {
  const cleaned = [...raw.replace(UNSAFE, '').trim()].slice(0, FILENAME_MAX_CHARS).join('');
  // A lone surrogate has no UTF-8 form (PostgreSQL would refuse it): replaced.
  const storable = cleaned.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  return storable === '' ? 'file' : storable;
}
