/** The one check both backends make of a ByteRange, so that a bad range fails alike on either. */
import type { ByteRange } from '../domain/ports/file-storage.js';

/**
 * Throws a RangeError unless `range` is whole offsets with start ≤ end. Whether it lies within the
 * object is the caller's question (it has the size; an HTTP 416 is its answer, RFC 9110 §15.5.17).
 */
export function checkByteRange(range: ByteRange): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new RangeError(`invalid byte range ${start}-${end}`);
  }
}
