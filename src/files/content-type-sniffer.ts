/**
 * What an upload is, from its bytes (docs/API.md, "Files and images"). The client's
 * Content-Type and filename are claims; the server stores and serves the type this module
 * determines. Only the four types in SAFE_INLINE_IMAGE_TYPES are ever shown inline (after
 * src/files/image-processor.ts has decoded them); everything else, SVG and HTML included, is
 * served as a download, so a type we do not recognise is `application/octet-stream`.
 */
import { INLINE_IMAGE_TYPES } from '@pneumatic/protocol';
import { fileTypeFromBuffer } from 'file-type';

/**
 * How many leading bytes to pass to sniffContentType: file-type recognises what it can within
 * this many (its `reasonableDetectionSizeInBytes`); fewer may leave a type undetected.
 */
export const SNIFF_BYTES = 4100;

/** The type of bytes nobody vouches for: browsers download it rather than render it. */
export const UNKNOWN_CONTENT_TYPE = 'application/octet-stream';

/**
 * Raster formats every browser decodes and none executes: no scripts (SVG), no documents
 * (HTML, PDF). Only these are displayed inline and get a thumbnail.
 */
export const SAFE_INLINE_IMAGE_TYPES = INLINE_IMAGE_TYPES;
export type SafeInlineImageType = (typeof SAFE_INLINE_IMAGE_TYPES)[number];

export function isSafeInlineImage(contentType: string): contentType is SafeInlineImageType {
  return (SAFE_INLINE_IMAGE_TYPES as readonly string[]).includes(contentType);
}

/**
 * The content type of a file from its first bytes (`head`, up to SNIFF_BYTES; more are
 * ignored), or `application/octet-stream` when the signature is unknown. Never rejects:
 * bytes that upset the detector are simply unknown.
 */
export async function sniffContentType(head: Uint8Array): Promise<string> {
  const sample = head.length > SNIFF_BYTES ? head.subarray(0, SNIFF_BYTES) : head;
  try {
    const detected = await fileTypeFromBuffer(sample);
    return detected?.mime ?? UNKNOWN_CONTENT_TYPE;
  } catch {
    // The bytes come from anyone; a parser failure on them means "unknown", not a server error.
    return UNKNOWN_CONTENT_TYPE;
  }
}
