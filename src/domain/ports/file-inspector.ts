/** What the server learns from an upload's bytes (src/files/ implements it with file-type and sharp). */
import type { Readable } from 'node:stream';

export interface ImageFacts {
  /** Displayed size in pixels, orientation applied. */
  width: number;
  height: number;
  /** A WebP thumbnail fitting in 400×400, or null when none could be made. */
  thumbnail: { bytes: Uint8Array; width: number; height: number } | null;
  /**
   * When the image carries metadata that must not be served (EXIF with GPS, XMP, IPTC,
   * comments): a copy without it, streamed. Null when the bytes can be served as they are.
   */
  cleaned: (() => Readable) | null;
}

export interface FileInspector {
  /** How many leading bytes `contentType` needs. */
  readonly sniffBytes: number;
  /** The type of the bytes that begin with `head`; `application/octet-stream` when unknown. */
  contentType(head: Uint8Array): Promise<string>;
  /**
   * Facts of an image of an inline type, read through `open` (a fresh stream of the whole file
   * each call); null when the bytes are not a readable image (corrupt, truncated, too many
   * pixels): it is then kept as a plain file. Never rejects for bad bytes.
   */
  image(open: () => Promise<Readable>, contentType: string): Promise<ImageFacts | null>;
  /**
   * A square WebP avatar of `side` pixels from an image of an inline type (docs/API.md,
   * "Profiles"); null when the bytes are not a readable image. Never rejects for bad bytes.
   */
  avatar(open: () => Promise<Readable>, contentType: string, side: number): Promise<Uint8Array | null>;
}
