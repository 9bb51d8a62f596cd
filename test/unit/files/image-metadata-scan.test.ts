import fc from 'fast-check';
import sharp, { type Sharp } from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  TRAILING_BYTES, UNPARSED, findMetadataBlocks, isLosslessWebp, type ContainerFormat,
} from '../../../src/files/image-metadata-scan.js';
import { BLUE, RED, animatedGif, solid, withJpegSegment } from './image-fixtures.js';

/** Noise compresses badly, so the entropy-coded data is long and full of 0xFF bytes. */
function noisy(width: number, height: number): Sharp {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7919 + (i >> 7)) % 256;
  return sharp(pixels, { raw: { width, height, channels: 3 } });
}

const clean: Record<string, { format: ContainerFormat; bytes: Buffer }> = {};

beforeAll(async () => {
  const entries: [string, ContainerFormat, Promise<Buffer>][] = [
    ['baseline JPEG', 'jpeg', noisy(120, 90).jpeg().toBuffer()],
    ['progressive JPEG', 'jpeg', noisy(120, 90).jpeg({ progressive: true }).toBuffer()],
    ['JPEG with an ICC profile', 'jpeg', solid(40, 30).withIccProfile('p3').jpeg().toBuffer()],
    ['CMYK JPEG (Adobe APP14)', 'jpeg', solid(40, 30).toColourspace('cmyk').jpeg().toBuffer()],
    ['truecolour PNG', 'png', noisy(60, 40).png().toBuffer()],
    ['palette PNG', 'png', solid(60, 40).png({ palette: true }).toBuffer()],
    ['PNG with an ICC profile', 'png', solid(40, 30).withIccProfile('p3').png().toBuffer()],
    ['lossy WebP', 'webp', noisy(60, 40).webp().toBuffer()],
    ['lossless WebP with alpha', 'webp', sharp({ create: { width: 30, height: 20, channels: 4, background: { ...RED, alpha: 0.5 } } }).webp({ lossless: true }).toBuffer()],
    ['WebP with an ICC profile', 'webp', solid(40, 30).withIccProfile('p3').webp().toBuffer()],
    ['GIF', 'gif', noisy(60, 40).gif().toBuffer()],
    ['animated GIF', 'gif', animatedGif(30, 20, [RED, BLUE, RED])],
    ['animated WebP', 'webp', animatedGif(30, 20, [RED, BLUE]).then((gif) => sharp(gif, { animated: true }).webp().toBuffer())],
  ];
  for (const [name, format, bytes] of entries) clean[name] = { format, bytes: await bytes };
});

describe('findMetadataBlocks', () => {
  it('finds nothing in what sharp writes without metadata, in every format and flavour', () => {
    expect(Object.keys(clean)).toHaveLength(13);
    for (const [name, { format, bytes }] of Object.entries(clean)) {
      expect(findMetadataBlocks(bytes, format), name).toEqual([]);
    }
  });

  it.each([
    ['a JFIF thumbnail', 0xe0, Buffer.concat([Buffer.from('JFIF\0\x01\x02\0\0\x01\0\x01\x01\x01', 'latin1'), Buffer.alloc(3)]), 'jpeg APP0 JFIF'],
    ['a multi-picture (MPF) second image', 0xe2, Buffer.from('MPF\0II*\0', 'latin1'), 'jpeg APP2 MPF'],
    ['IPTC in a Photoshop block', 0xed, Buffer.from('Photoshop 3.0\x008BIM\x04\x04', 'latin1'), 'jpeg APP13 Photoshop 3.0'],
    ['an unknown application segment', 0xe9, Buffer.from('whatever'), 'jpeg APP9 whatever'],
  ])('reports %s in a JPEG', (_name, marker, payload, expected) => {
    const jpeg = withJpegSegment(clean['baseline JPEG']!.bytes, marker, payload);
    expect(findMetadataBlocks(jpeg, 'jpeg')).toEqual([expected]);
  });

  it('passes a JFIF header without a thumbnail, as every encoder writes it', () => {
    const jfif = Buffer.from('JFIF\0\x01\x02\0\0\x01\0\x01\0\0', 'latin1');
    expect(findMetadataBlocks(withJpegSegment(clean['baseline JPEG']!.bytes, 0xe0, jfif), 'jpeg')).toEqual([]);
  });

  it('reports bytes after the end of the image in every format', () => {
    for (const [name, { format, bytes }] of Object.entries(clean)) {
      expect(findMetadataBlocks(Buffer.concat([bytes, Buffer.from('appended')]), format), name).toEqual([TRAILING_BYTES]);
    }
  });

  it('reports a structure it cannot follow when a file is cut short', () => {
    for (const [name, { format, bytes }] of Object.entries(clean)) {
      expect(findMetadataBlocks(bytes.subarray(0, bytes.length - 3), format), name).toContain(UNPARSED);
    }
  });

  it('reports other formats, and nothing at all, as structures it cannot follow', () => {
    expect(findMetadataBlocks(clean['GIF']!.bytes, 'png')).toEqual([UNPARSED]);
    expect(findMetadataBlocks(Buffer.alloc(0), 'jpeg')).toEqual([UNPARSED]);
    expect(findMetadataBlocks(Buffer.from('RIFF'), 'webp')).toEqual([UNPARSED]);
  });

  it('never throws, whatever the bytes: random, or a real file with bytes changed or cut', () => {
    const formats = fc.constantFrom<ContainerFormat>('jpeg', 'png', 'webp', 'gif');
    const names = Object.keys(clean);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), formats, (bytes, format) => {
        expect(Array.isArray(findMetadataBlocks(bytes, format))).toBe(true);
        expect(typeof isLosslessWebp(bytes)).toBe('boolean');
      }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat(), (name, at, end, value, cut) => {
        const { format, bytes } = clean[name]!;
        const mutated = Buffer.from(bytes);
        mutated[at % mutated.length] = value;
        const damaged = mutated.subarray(0, Math.max(end, cut) % (mutated.length + 1));
        expect(Array.isArray(findMetadataBlocks(damaged, format))).toBe(true);
        expect(typeof isLosslessWebp(damaged)).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });
});

describe('isLosslessWebp', () => {
  it('tells lossless from lossy WebP, animated included', async () => {
    expect(isLosslessWebp(clean['lossless WebP with alpha']!.bytes)).toBe(true);
    expect(isLosslessWebp(clean['lossy WebP']!.bytes)).toBe(false);
    expect(isLosslessWebp(clean['WebP with an ICC profile']!.bytes)).toBe(false);
    const animatedLossless = await sharp(clean['animated GIF']!.bytes, { animated: true }).webp({ lossless: true }).toBuffer();
    expect(isLosslessWebp(animatedLossless)).toBe(true);
  });
});
