/** The FileInspector port on file-type (content-type-sniffer.ts) and sharp (image-processor.ts). */
import type { FileInspector } from '../domain/ports/file-inspector.js';
import { isSafeInlineImage, SNIFF_BYTES, sniffContentType } from './content-type-sniffer.js';

export function createFileInspector(): FileInspector {
  return {
    sniffBytes: SNIFF_BYTES,
    contentType: sniffContentType,
    async image(open, contentType) {
      if (!isSafeInlineImage(contentType)) return null;
      // sharp (libvips) is loaded with the first image, not at start: a server that never sees one keeps its memory.
      const { inspectImage } = await import('./image-processor.js');
      const inspection = await inspectImage(open, contentType);
      if (inspection.kind !== 'image') return null;
      const { width, height, thumbnail, cleaned } = inspection;
      return {
        width,
        height,
        thumbnail: { bytes: thumbnail.bytes, width: thumbnail.width, height: thumbnail.height },
        cleaned: cleaned ? () => cleaned.open() : null,
      };
    },
    async avatar(open, contentType, side) {
      if (!isSafeInlineImage(contentType)) return null;
      const { makeAvatar } = await import('./avatar-image.js');
      return makeAvatar(open, side);
    },
  };
}
