/**
 * Facts about files for display (docs/API.md, "Files and images"): which attachments show inline
 * as images, sizes and types in words, one-line summaries for previews, and whether a signed
 * link has expired.
 */
import type { Attachment, Message } from '@pneumatic/client';

/** An attachment with a thumbnail and known dimensions: shown inline, its size reserved before it loads. */
export type InlineImage = Attachment & { thumbnail_url: string; width: number; height: number; thumbnail_width: number; thumbnail_height: number };

export function isInlineImage(attachment: Attachment): attachment is InlineImage {
  return attachment.thumbnail_url !== null && attachment.width !== null && attachment.height !== null && attachment.thumbnail_width !== null && attachment.thumbnail_height !== null;
}

const UNITS = ['KB', 'MB', 'GB', 'TB'];

/** "812 bytes", "1.5 KB", "25 MB": binary multiples, one decimal below 10. */
export function humanSize(bytes: number): string {
  if (bytes < 1024) return bytes === 1 ? '1 byte' : `${bytes} bytes`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
  return `${shown} ${UNITS[unit]}`;
}

const TYPE_NAMES: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/zip': 'ZIP archive',
  'application/gzip': 'GZIP archive',
  'image/png': 'PNG image',
  'image/jpeg': 'JPEG image',
  'image/webp': 'WebP image',
  'image/gif': 'GIF image',
};

/** The file's type in words: a known type's name, else its extension ("BIN file"), else "File". */
export function fileTypeLabel(contentType: string, filename: string): string {
  const known = TYPE_NAMES[contentType];
  if (known) return known;
  const [family] = contentType.split('/');
  if (family === 'video' || family === 'audio') return family === 'video' ? 'Video' : 'Audio';
  const extension = fileExtension(filename);
  return extension ? `${extension} file` : 'File';
}

/** Up to five letters after the last dot, upper-case ("report.tar.gz" → "GZ"); '' when none. */
export function fileExtension(filename: string): string {
  const match = /\.([A-Za-z0-9]{1,5})$/.exec(filename);
  return match ? match[1]!.toUpperCase() : '';
}

/** For previews of a message without text: "File: photo.png", "3 files"; '' without attachments. */
export function attachmentSummary(message: Pick<Message, 'attachments'>): string {
  const files = message.attachments ?? [];
  if (files.length === 0) return '';
  return files.length === 1 ? `File: ${files[0]!.filename}` : `${files.length} files`;
}

/**
 * Whether a signed link's `expires` (Unix seconds) has passed, with `marginMs` to spare; false
 * for a link without one (the server decides).
 */
export function linkExpired(url: string, now = Date.now(), marginMs = 5_000): boolean {
  const expires = Number(new URL(url, 'http://localhost').searchParams.get('expires'));
  return Number.isFinite(expires) && expires > 0 && expires * 1000 <= now + marginMs;
}
