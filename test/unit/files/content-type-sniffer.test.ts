import { describe, expect, it } from 'vitest';
import {
  SAFE_INLINE_IMAGE_TYPES,
  SNIFF_BYTES,
  isSafeInlineImage,
  sniffContentType,
} from '../../../src/files/content-type-sniffer.js';
import { animatedGif, pngChunk, solid, withPngChunk } from './image-fixtures.js';

// A stored ZIP with one entry, a.txt = "hello" (APPNOTE 4.3.7 local header, then the end record).
const ZIP = Buffer.concat([
  Buffer.from([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 5, 0, 0, 0, 5, 0, 0, 0]),
  Buffer.from('a.txthello'),
  Buffer.from([0x50, 0x4b, 0x05, 0x06]),
  Buffer.alloc(18),
]);

describe('sniffContentType', () => {
  it.each([
    ['PNG', () => solid(8, 8).png().toBuffer(), 'image/png'],
    ['JPEG', () => solid(8, 8).jpeg().toBuffer(), 'image/jpeg'],
    ['WebP', () => solid(8, 8).webp().toBuffer(), 'image/webp'],
    ['GIF', () => solid(8, 8).gif().toBuffer(), 'image/gif'],
    ['animated GIF', () => animatedGif(8, 8, [{ r: 0, g: 0, b: 0 }, { r: 255, g: 255, b: 255 }]), 'image/gif'],
    ['PDF', async () => Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n'), 'application/pdf'],
    ['ZIP', async () => ZIP, 'application/zip'],
  ])('recognises %s from its bytes', async (_name, make, expected) => {
    expect(await sniffContentType(await make())).toBe(expected);
  });

  it.each([
    ['HTML', '<!DOCTYPE html><html><body><script>alert(1)</script></body></html>'],
    ['SVG', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'],
    ['plain text', 'hello world\n'],
    ['nothing', ''],
  ])('calls %s application/octet-stream, so it is served as a download', async (_name, text) => {
    expect(await sniffContentType(Buffer.from(text))).toBe('application/octet-stream');
  });

  it('never calls an SVG with an XML prolog an image', async () => {
    const type = await sniffContentType(Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'));
    expect(isSafeInlineImage(type)).toBe(false);
    expect(type).not.toMatch(/svg/);
  });

  it('calls an animated PNG image/apng, which is not shown inline', async () => {
    const png = await solid(8, 8).png().toBuffer();
    // acTL before the first IDAT is what makes a PNG an APNG (APNG spec, "Structure").
    const apng = withPngChunk(png, pngChunk('acTL', Buffer.from([0, 0, 0, 1, 0, 0, 0, 0])));
    const type = await sniffContentType(apng);
    expect(type).toBe('image/apng');
    expect(isSafeInlineImage(type)).toBe(false);
  });

  it('decides on the first SNIFF_BYTES only: a signature further in is not seen', async () => {
    const png = await solid(8, 8).png().toBuffer();
    expect(await sniffContentType(Buffer.concat([Buffer.alloc(SNIFF_BYTES), png]))).toBe('application/octet-stream');
    expect(await sniffContentType(Buffer.concat([png, Buffer.alloc(SNIFF_BYTES * 2)]))).toBe('image/png');
  });
});

describe('isSafeInlineImage', () => {
  it('accepts exactly PNG, JPEG, WebP and GIF', () => {
    expect(SAFE_INLINE_IMAGE_TYPES.every(isSafeInlineImage)).toBe(true);
    for (const type of ['image/svg+xml', 'image/apng', 'image/avif', 'image/tiff', 'text/html', 'application/pdf', 'application/octet-stream', 'IMAGE/PNG']) {
      expect(isSafeInlineImage(type), type).toBe(false);
    }
  });
});
