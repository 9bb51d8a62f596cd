/**
 * Real image bytes for the file inspection tests: drawn by sharp, then given the metadata blocks
 * real cameras and editors write, spliced in by hand where sharp cannot write them (JPEG COM,
 * PNG text chunks, GIF comments and XMP) so the bytes are what an upload would carry.
 */
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';
import type { OpenImage } from '../../../src/files/image-processor.js';

export const RED = { r: 220, g: 0, b: 0 };
export const BLUE = { r: 0, g: 0, b: 220 };

/** A plain image of one colour, ready for an output format. */
export function solid(width: number, height: number, background: { r: number; g: number; b: number } = RED): Sharp {
  return sharp({ create: { width, height, channels: 3, background } });
}

/** A JPEG whose left half is red and right half blue, to tell which way it was turned. */
export async function halvesJpeg(width: number, height: number): Promise<Sharp> {
  const right = await solid(width / 2, height, BLUE).png().toBuffer();
  return solid(width, height, RED).composite([{ input: right, left: width / 2, top: 0 }]).jpeg();
}

/** An animated GIF with one frame per colour, 100 ms each. */
export async function animatedGif(width: number, height: number, colours: { r: number; g: number; b: number }[]): Promise<Buffer> {
  const frames = await Promise.all(colours.map((colour) => solid(width, height, colour).png().toBuffer()));
  return sharp(frames, { join: { animated: true } })
    .gif({ loop: 0, delay: colours.map(() => 100) })
    .toBuffer();
}

/** GPS coordinates in EXIF, where phones put them (sharp's IFD3 is the GPS IFD). */
export const GPS_EXIF = { IFD0: { Make: 'Pneumatic', Model: 'Test phone' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 24/1' } };

/** `jpeg` with a segment (`marker`, e.g. 0xFE for COM) inserted right after SOI. */
export function withJpegSegment(jpeg: Buffer, marker: number, payload: Buffer): Buffer {
  const header = Buffer.from([0xff, marker, 0, 0]);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), header, payload, jpeg.subarray(2)]);
}

/** A PNG chunk with its CRC (PNG §5.3). */
export function pngChunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** `png` with `chunk` inserted after IHDR (signature 8 bytes + IHDR 25 bytes). */
export function withPngChunk(png: Buffer, chunk: Buffer): Buffer {
  return Buffer.concat([png.subarray(0, 33), chunk, png.subarray(33)]);
}

/** `gif` with an extension block (`label`, data split into sub-blocks) before its first frame. */
export function withGifExtension(gif: Buffer, label: number, data: Buffer): Buffer {
  const flags = gif[10]!;
  const at = 13 + (flags & 0x80 ? 3 * (2 << (flags & 7)) : 0);
  const blocks: Buffer[] = [Buffer.from([0x21, label])];
  for (let i = 0; i < data.length; i += 255) {
    const part = data.subarray(i, i + 255);
    blocks.push(Buffer.from([part.length]), part);
  }
  blocks.push(Buffer.from([0]));
  return Buffer.concat([gif.subarray(0, at), ...blocks, gif.subarray(at)]);
}

/** Stored bytes as inspectImage reads them: a fresh stream each call, in several chunks. */
export function source(bytes: Buffer): OpenImage {
  return async () => Readable.from(chunked(bytes, 1000));
}

function* chunked(bytes: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The sRGB values of the pixel at (x, y). */
export async function pixel(image: Buffer, x: number, y: number): Promise<{ r: number; g: number; b: number }> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return { r: data[i]!, g: data[i + 1]!, b: data[i + 2]! };
}

/** Whether `actual` is `expected` within lossy-compression error. */
export function near(actual: { r: number; g: number; b: number }, expected: { r: number; g: number; b: number }): boolean {
  return Math.abs(actual.r - expected.r) < 40 && Math.abs(actual.g - expected.g) < 40 && Math.abs(actual.b - expected.b) < 40;
}
