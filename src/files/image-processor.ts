/**
 * Decodes an uploaded image whose bytes sniffed as one of SAFE_INLINE_IMAGE_TYPES and decides
 * how it may be served (docs/API.md, "Files and images"):
 *
 *   inspectImage(open, type) →
 *     { kind: 'image', width, height, hasMetadata, metadata, cleaned, thumbnail }
 *   | { kind: 'not_an_image', reason }
 *
 * - width/height are as displayed, EXIF orientation applied (a portrait phone photo stored
 *   landscape with orientation 6 reports portrait).
 * - metadata lists what must not be served (EXIF with GPS, XMP, IPTC, comments, embedded
 *   thumbnails, trailing bytes; image-metadata-scan.ts). When there is any, `cleaned` is a
 *   re-encoded copy in the same format: oriented, ICC profile kept, everything else dropped,
 *   every animation frame kept. When there is none, `cleaned` is null and the original bytes
 *   are served unchanged (same SHA-256).
 * - thumbnail: WebP within 400×400, never enlarged, oriented, no metadata, first frame only.
 * - not_an_image: sharp could not decode it (corrupt, truncated, not what the signature said,
 *   over MAX_INPUT_PIXELS; for an animation that needs cleaning, all its frames together).
 *   The caller stores it as a plain download without a thumbnail.
 *   `reason` is sharp's message, for the log only (it names libraries; never send it).
 *   inspectImage rejects only when `open` or its stream fails: a storage error, not bad input.
 *
 * Memory, per call: sharp takes its input as one Buffer (a stream piped into sharp is
 * concatenated first, sharp/dist/input.mjs _flattenBufferIn) and hands its output back as one
 * Buffer (a stream out of sharp pushes that Buffer in a single chunk). So the file is read once
 * into memory once, and the cleaned copy is made before inspectImage resolves (streaming it
 * out of sharp later would hold no less, and this way a frame that fails to decode makes the
 * upload not_an_image rather than a failed write). Peak: file size + cleaned size + decoded
 * pixels (MAX_INPUT_PIXELS × 4 bytes = 160 MB at the limit for 8-bit RGBA), the file size
 * bounded by the caller's upload limit. `cleaned.open()` streams the copy, so callers pipe it
 * to storage and would not change if it moved to a temporary file (sharp's toFile).
 */
import { Readable } from 'node:stream';
import sharp, { type Metadata, type SharpOptions } from 'sharp';
import type { SafeInlineImageType } from './content-type-sniffer.js';
import { findMetadataBlocks, isLosslessWebp, type ContainerFormat } from './image-metadata-scan.js';

// Memory stays bounded by processing one image at a time on one libvips thread: the caller
// serializes inspections, and libvips' operation cache would only keep decoded uploads around.
sharp.concurrency(1);
sharp.cache(false);

/** Decompression-bomb limit: an image (all its frames, when animated) may decode to at most this many pixels. */
export const MAX_INPUT_PIXELS = 40_000_000;
/** The thumbnail fits inside a square of this side, in pixels. */
export const THUMBNAIL_MAX_SIDE = 400;
/** Quality of lossy re-encodes (JPEG, lossy WebP): visually the original, not much larger. */
const CLEANED_QUALITY = 90;
const THUMBNAIL_QUALITY = 80;
/** libvips stops a pipeline still running after this long (a pathological file, not a photo). */
const TIMEOUT_SECONDS = 30;

/** A fresh stream of the whole stored upload at each call. */
export type OpenImage = () => Promise<Readable>;

export interface Thumbnail {
  bytes: Buffer;
  width: number;
  height: number;
  contentType: 'image/webp';
}

/** The metadata-free copy to store and serve in place of the upload. */
export interface CleanedImage {
  /** Its length in bytes. */
  size: number;
  /** A fresh stream of the copy at each call, to pipe to storage. */
  open(): Readable;
}

export type ImageInspection =
  | {
      kind: 'image';
      width: number;
      height: number;
      hasMetadata: boolean;
      /** What was found that must not be served, for logs (`jpeg APP1 Exif`, `png tEXt`, …). */
      metadata: readonly string[];
      /** Present exactly when hasMetadata; null means "serve the original bytes". */
      cleaned: CleanedImage | null;
      thumbnail: Thumbnail;
    }
  | { kind: 'not_an_image'; reason: string };

const FORMAT_OF: Record<SafeInlineImageType, ContainerFormat> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/webp': 'webp',
  'image/gif': 'gif',
};

// 'error' refuses truncated and corrupt pixel data but, unlike the default 'warning', accepts
// the recoverable oddities phone and editor output often carries (extraneous bytes, bad CRCs
// in ancillary chunks), which browsers display anyway.
export const INPUT: SharpOptions = { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' };

/**
 * Decodes the upload that sniffed as `type` and returns its displayed size, thumbnail and,
 * when it carries metadata, a cleaned copy; or not_an_image when it does not decode within
 * the limits. Rejects only when reading the upload fails.
 */
export async function inspectImage(open: OpenImage, type: SafeInlineImageType): Promise<ImageInspection> {
  const format = FORMAT_OF[type];
  const bytes = await readAll(await open());
  try {
    const info = await sharp(bytes, INPUT).metadata();
    // The sniffer and libvips read the same signature; disagreeing means neither is to be trusted.
    if (info.format !== format) return { kind: 'not_an_image', reason: `decoded as ${info.format}, sniffed as ${format}` };
    const metadata = [...findMetadataBlocks(bytes, format), ...reportedBySharp(info)];
    // Decoding the whole first frame for the thumbnail is what proves the pixel data sound.
    const thumbnail = await makeThumbnail(bytes);
    const cleaned = metadata.length > 0 ? await makeCleaned(bytes, format, info) : null;
    return {
      kind: 'image',
      width: info.autoOrient.width,
      height: info.autoOrient.height,
      hasMetadata: metadata.length > 0,
      metadata,
      cleaned: cleaned && { size: cleaned.length, open: () => Readable.from([cleaned]) },
      thumbnail,
    };
  } catch (error) {
    // Every failure here is sharp refusing the bytes (the input is all in memory): the file
    // is kept as a download instead. Programming errors would surface in the tests.
    return { kind: 'not_an_image', reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Metadata libvips itself found, in case the container walk's allow-list let something pass. */
function reportedBySharp(info: Metadata): string[] {
  const found: string[] = [];
  if (info.exif) found.push('exif (libvips)');
  if (info.xmp) found.push('xmp (libvips)');
  if (info.iptc) found.push('iptc (libvips)');
  if (info.comments?.length) found.push('comments (libvips)');
  return found;
}

async function makeThumbnail(bytes: Buffer): Promise<Thumbnail> {
  // No `animated`: sharp decodes the first frame only. No keep*/with* call: sharp writes no
  // metadata and converts to sRGB, which is what a thumbnail wants.
  const { data, info } = await sharp(bytes, INPUT)
    .timeout({ seconds: TIMEOUT_SECONDS })
    .autoOrient()
    .resize(THUMBNAIL_MAX_SIDE, THUMBNAIL_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: THUMBNAIL_QUALITY })
    .toBuffer({ resolveWithObject: true });
  return { bytes: data, width: info.width, height: info.height, contentType: 'image/webp' };
}

async function makeCleaned(bytes: Buffer, format: ContainerFormat, info: Metadata): Promise<Buffer> {
  // All frames of an animation; MAX_INPUT_PIXELS then bounds the frames together.
  const animated = (info.pages ?? 1) > 1;
  // autoOrient() (= rotate()) bakes the EXIF orientation into the pixels, since the tag goes
  // with the EXIF. Without withMetadata/keepExif/keepXmp sharp writes none of it;
  // keepIccProfile keeps the colours as the author saw them.
  const image = sharp(bytes, { ...INPUT, animated }).timeout({ seconds: TIMEOUT_SECONDS }).autoOrient().keepIccProfile();
  switch (format) {
    case 'jpeg':
      // mozjpeg's trellis and scan optimisation triple the encode time for a few percent.
      return image.jpeg({ quality: CLEANED_QUALITY, mozjpeg: false }).toBuffer();
    case 'png':
      return image.png().toBuffer();
    case 'webp':
      return image.webp(isLosslessWebp(bytes) ? { lossless: true } : { quality: CLEANED_QUALITY }).toBuffer();
    case 'gif':
      // Frame delays and loop count come from the input's metadata.
      return image.gif().toBuffer();
  }
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}
