import { Readable } from 'node:stream';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { isSafeInlineImage, sniffContentType, type SafeInlineImageType } from '../../../src/files/content-type-sniffer.js';
import { findMetadataBlocks } from '../../../src/files/image-metadata-scan.js';
import { MAX_INPUT_PIXELS, THUMBNAIL_MAX_SIDE, inspectImage, type ImageInspection } from '../../../src/files/image-processor.js';
import {
  BLUE, GPS_EXIF, RED, animatedGif, halvesJpeg, near, pixel, pngChunk, readAll, solid, source, withGifExtension,
  withJpegSegment, withPngChunk,
} from './image-fixtures.js';

type Image = Extract<ImageInspection, { kind: 'image' }>;

/** Inspects `bytes` as the server will: the type sniffed from them, never claimed. */
async function inspect(bytes: Buffer): Promise<ImageInspection> {
  const type = await sniffContentType(bytes);
  if (!isSafeInlineImage(type)) throw new Error(`fixture sniffed as ${type}`);
  return inspectImage(source(bytes), type);
}

async function inspectAsImage(bytes: Buffer): Promise<Image> {
  const result = await inspect(bytes);
  if (result.kind !== 'image') throw new Error(`not an image: ${result.reason}`);
  return result;
}

async function cleanedBytes(result: Image): Promise<Buffer> {
  if (!result.cleaned) throw new Error('no cleaned copy');
  const bytes = await readAll(result.cleaned.open());
  expect(bytes.length).toBe(result.cleaned.size);
  return bytes;
}

const XMP = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>';

describe('inspectImage', () => {
  it.each([
    ['PNG', () => solid(300, 200).png().toBuffer()],
    ['JPEG', () => solid(300, 200).jpeg().toBuffer()],
    ['WebP', () => solid(300, 200).webp().toBuffer()],
    ['GIF', () => solid(300, 200).gif().toBuffer()],
  ])('reports a %s without metadata at its size, with a thumbnail and no cleaned copy', async (_name, make) => {
    const result = await inspectAsImage(await make());
    expect(result).toMatchObject({ width: 300, height: 200, hasMetadata: false, metadata: [], cleaned: null });
    expect(result.thumbnail).toMatchObject({ width: 300, height: 200, contentType: 'image/webp' });
  });

  it('finds GPS EXIF in a JPEG and returns a JPEG without any EXIF, same size and colour', async () => {
    const original = await solid(300, 200).jpeg().withExif(GPS_EXIF).toBuffer();
    expect((await sharp(original).metadata()).exif).toBeDefined();
    const result = await inspectAsImage(original);
    expect(result).toMatchObject({ width: 300, height: 200, hasMetadata: true });
    expect(result.metadata).toContain('jpeg APP1 Exif');
    const cleaned = await cleanedBytes(result);
    const info = await sharp(cleaned).metadata();
    expect(info).toMatchObject({ format: 'jpeg', width: 300, height: 200 });
    expect(info.exif).toBeUndefined();
    expect(findMetadataBlocks(cleaned, 'jpeg')).toEqual([]);
    expect(near(await pixel(cleaned, 150, 100), RED)).toBe(true);
  });

  it('keeps the ICC colour profile in the cleaned copy', async () => {
    const original = await solid(64, 64).withIccProfile('p3').withExif(GPS_EXIF).jpeg().toBuffer();
    const originalIcc = (await sharp(original).metadata()).icc;
    expect(originalIcc).toBeDefined();
    const cleaned = await cleanedBytes(await inspectAsImage(original));
    const info = await sharp(cleaned).metadata();
    expect(info.exif).toBeUndefined();
    expect(info.icc?.equals(originalIcc!)).toBe(true);
  });

  it('applies EXIF orientation 6: portrait size, portrait thumbnail, cleaned copy turned and untagged', async () => {
    // Stored 300×200 landscape, red left and blue right; orientation 6 means "turn 90° clockwise
    // to display", so the displayed image is 200×300 with red on top.
    const original = await (await halvesJpeg(300, 200)).withExif(GPS_EXIF).withMetadata({ orientation: 6 }).toBuffer();
    expect(await sharp(original).metadata()).toMatchObject({ width: 300, height: 200, orientation: 6 });
    const result = await inspectAsImage(original);
    expect(result).toMatchObject({ width: 200, height: 300, hasMetadata: true });
    expect(result.thumbnail).toMatchObject({ width: 200, height: 300 });
    expect(near(await pixel(result.thumbnail.bytes, 100, 10), RED)).toBe(true);
    expect(near(await pixel(result.thumbnail.bytes, 100, 290), BLUE)).toBe(true);
    const cleaned = await cleanedBytes(result);
    const info = await sharp(cleaned).metadata();
    expect(info).toMatchObject({ format: 'jpeg', width: 200, height: 300 });
    expect(info.orientation).toBeUndefined();
    expect(near(await pixel(cleaned, 100, 10), RED)).toBe(true);
  });

  it('makes a WebP thumbnail within 400×400, aspect kept, without metadata', async () => {
    const result = await inspectAsImage(await solid(1600, 600).jpeg().withExif(GPS_EXIF).toBuffer());
    expect(result.thumbnail).toMatchObject({ width: THUMBNAIL_MAX_SIDE, height: 150, contentType: 'image/webp' });
    const info = await sharp(result.thumbnail.bytes).metadata();
    expect(info).toMatchObject({ format: 'webp', width: 400, height: 150 });
    expect(info.exif).toBeUndefined();
    expect(findMetadataBlocks(result.thumbnail.bytes, 'webp')).toEqual([]);
  });

  it('does not enlarge a small image for its thumbnail', async () => {
    const result = await inspectAsImage(await solid(16, 10).png().toBuffer());
    expect(result.thumbnail).toMatchObject({ width: 16, height: 10 });
  });

  it('keeps every frame of an animated GIF in the cleaned copy; the thumbnail is the first frame', async () => {
    const gif = withGifExtension(await animatedGif(40, 30, [RED, BLUE, RED]), 0xfe, Buffer.from('shot at home'));
    const result = await inspectAsImage(gif);
    expect(result).toMatchObject({ width: 40, height: 30, hasMetadata: true, metadata: ['gif comment'] });
    const cleaned = await cleanedBytes(result);
    expect(cleaned.includes(Buffer.from('shot at home'))).toBe(false);
    expect(await sharp(cleaned).metadata()).toMatchObject({ format: 'gif', pages: 3, delay: [100, 100, 100], loop: 0 });
    expect(findMetadataBlocks(cleaned, 'gif')).toEqual([]);
    expect(await sharp(result.thumbnail.bytes).metadata()).toMatchObject({ format: 'webp', width: 40, height: 30 });
    expect((await sharp(result.thumbnail.bytes).metadata()).pages).toBeUndefined();
    expect(near(await pixel(result.thumbnail.bytes, 20, 15), RED)).toBe(true);
  });

  it('keeps every frame of an animated WebP with EXIF, dropping the EXIF', async () => {
    const webp = await sharp(await animatedGif(40, 30, [RED, BLUE]), { animated: true }).webp().withExif(GPS_EXIF).toBuffer();
    const result = await inspectAsImage(webp);
    expect(result).toMatchObject({ width: 40, height: 30, hasMetadata: true });
    const cleaned = await cleanedBytes(result);
    const info = await sharp(cleaned).metadata();
    expect(info).toMatchObject({ format: 'webp', pages: 2 });
    expect(info.exif).toBeUndefined();
  });

  it.each([
    ['a JPEG comment', async () => withJpegSegment(await solid(50, 40).jpeg().toBuffer(), 0xfe, Buffer.from('Taken at 12 Rue X')), 'jpeg comment'],
    ['JPEG XMP', () => solid(50, 40).jpeg().withXmp(XMP).toBuffer(), 'jpeg APP1 http://ns.adobe.com/xap/1.0/'],
    ['PNG text', async () => withPngChunk(await solid(50, 40).png().toBuffer(), pngChunk('tEXt', Buffer.from('Comment\0Taken at home', 'latin1'))), 'png tEXt'],
    ['a generator prompt in PNG zTXt', async () => withPngChunk(await solid(50, 40).png().toBuffer(), pngChunk('zTXt', Buffer.concat([Buffer.from('parameters\0\0', 'latin1'), deflateSync('a prompt')]))), 'png zTXt'],
    ['PNG EXIF', () => solid(50, 40).png().withExif(GPS_EXIF).toBuffer(), 'png eXIf'],
    ['WebP XMP', () => solid(50, 40).webp().withXmp(XMP).toBuffer(), 'webp XMP'],
    ['GIF XMP', async () => withGifExtension(await solid(50, 40).gif().toBuffer(), 0xff, Buffer.concat([Buffer.from('XMP DataXMP'), Buffer.from(XMP)])), 'gif application XMP DataXMP'],
    ['bytes after the image', async () => Buffer.concat([await solid(50, 40).png().toBuffer(), Buffer.from('PK\x03\x04 hidden archive')]), 'bytes after the end of the image'],
  ])('finds %s and returns a cleaned copy without it', async (_name, make, expected) => {
    const original = await make();
    const result = await inspectAsImage(original);
    expect(result.hasMetadata).toBe(true);
    expect(result.metadata).toContain(expected);
    const cleaned = await cleanedBytes(result);
    const format = (await sharp(original).metadata()).format as 'jpeg' | 'png' | 'webp' | 'gif';
    expect((await sharp(cleaned).metadata()).format).toBe(format);
    expect(findMetadataBlocks(cleaned, format)).toEqual([]);
  });

  it('serves a colour-managed PNG without metadata as it is: an ICC profile is not metadata', async () => {
    const result = await inspectAsImage(await solid(50, 40).withIccProfile('p3').png().toBuffer());
    expect(result).toMatchObject({ hasMetadata: false, cleaned: null });
  });

  describe('refuses what it cannot decode as not_an_image, without throwing', () => {
    const notAnImage = async (bytes: Buffer, type: SafeInlineImageType) => {
      const result = await inspectImage(source(bytes), type);
      expect(result.kind).toBe('not_an_image');
      return result.kind === 'not_an_image' ? result.reason : '';
    };

    it('a PNG signature followed by garbage', async () => {
      const bytes = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('garbage '.repeat(50))]);
      await notAnImage(bytes, 'image/png');
    });

    it('a truncated JPEG whose header still reads', async () => {
      const noise = Buffer.alloc(400 * 300 * 3);
      for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 251;
      const jpeg = await sharp(noise, { raw: { width: 400, height: 300, channels: 3 } }).jpeg().toBuffer();
      const truncated = jpeg.subarray(0, jpeg.length >> 1);
      expect(await sharp(truncated).metadata()).toMatchObject({ width: 400, height: 300 });
      await notAnImage(truncated, 'image/jpeg');
    });

    it('an HTML page claimed to be a PNG (the sniffer never calls it one)', async () => {
      const html = Buffer.from('<html><body><script>alert(1)</script></body></html>');
      expect(await sniffContentType(html)).toBe('application/octet-stream');
      await notAnImage(html, 'image/png');
    });

    it('a GIF handed over as a PNG: the decoder and the sniffed type must agree', async () => {
      expect(await notAnImage(await solid(20, 20).gif().toBuffer(), 'image/png')).toMatch(/gif/);
    });

    it('an empty file', async () => {
      await notAnImage(Buffer.alloc(0), 'image/jpeg');
    });

    it('a decompression bomb: a PNG that declares 10000×10000 pixels', async () => {
      // A valid header and a few compressed rows: the claim alone is refused, before decoding.
      const ihdr = Buffer.alloc(13);
      ihdr.writeUInt32BE(10_000, 0);
      ihdr.writeUInt32BE(10_000, 4);
      ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
      const rows = deflateSync(Buffer.alloc(3 * (1 + 3 * 10_000)));
      const png = Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        pngChunk('IHDR', ihdr), pngChunk('IDAT', rows), pngChunk('IEND', Buffer.alloc(0)),
      ]);
      expect(10_000 * 10_000).toBeGreaterThan(MAX_INPUT_PIXELS);
      expect(await sniffContentType(png)).toBe('image/png');
      expect(await notAnImage(png, 'image/png')).toMatch(/pixel limit/);
    });
  });

  it('rejects when the stored upload cannot be read: a storage failure is not bad input', async () => {
    const failing = async () => new Readable({ read() { this.destroy(new Error('disk gone')); } });
    await expect(inspectImage(failing, 'image/png')).rejects.toThrow('disk gone');
  });
});
