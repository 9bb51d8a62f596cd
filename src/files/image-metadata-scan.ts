/**
 * Finds what in an image file is not needed to display it: EXIF (camera, time, GPS), XMP,
 * IPTC, comments, text chunks, embedded thumbnails, bytes after the end of the image.
 *
 * Why our own walk over the container rather than sharp's metadata(): sharp (libvips 8.18)
 * reports EXIF, XMP, IPTC and PNG text, but not a JPEG's COM segments, a JFIF thumbnail, an
 * MPF second picture, nor anything in a GIF (comments, XMP application blocks). A block missed
 * here is served to everyone, so the walk is an allow-list: only blocks known to be needed for
 * display pass; anything else, and any structure it cannot follow, is reported. Reporting too
 * much costs a re-encode; reporting too little leaks.
 *
 * Specs: JPEG ITU T.81 B.1 (markers), JFIF 1.02, PNG 3rd edition §5, WebP container (RFC 9649
 * §2.7), GIF89a §§17–26.
 */

export type ContainerFormat = 'jpeg' | 'png' | 'webp' | 'gif';

/** Reported when the walk cannot follow the structure (truncated, malformed, unusual). */
export const UNPARSED = 'unparsed structure';
export const TRAILING_BYTES = 'bytes after the end of the image';

/**
 * Names of the blocks in `bytes` that display does not need (`jpeg APP1 Exif`, `png tEXt`,
 * `gif comment`, …), in file order; empty when the file holds only pixels and colour data.
 */
export function findMetadataBlocks(bytes: Uint8Array, format: ContainerFormat): string[] {
  const found: string[] = [];
  const walk = { jpeg: walkJpeg, png: walkPng, webp: walkWebp, gif: walkGif }[format];
  if (!walk(bytes, found)) found.push(UNPARSED);
  return found;
}

/** Whether a WebP's (first) picture is VP8L, lossless: a re-encode should stay lossless. */
export function isLosslessWebp(bytes: Uint8Array): boolean {
  let firstImage: string | null = null;
  walkRiff(bytes, 12, Math.min(riffEnd(bytes) ?? 0, bytes.length), (fourcc) => {
    if (firstImage === null && (fourcc === 'VP8 ' || fourcc === 'VP8L')) firstImage = fourcc;
  });
  return firstImage === 'VP8L';
}

// Each walker appends what it finds and returns false when the structure cannot be followed.
type Walker = (bytes: Uint8Array, found: string[]) => boolean;

function ascii(bytes: Uint8Array, start: number, end: number): string {
  const part = bytes.subarray(start, end); // clamped to the file
  return Buffer.from(part.buffer, part.byteOffset, part.length).toString('latin1');
}
const u16be = (b: Uint8Array, at: number): number => (b[at]! << 8) | b[at + 1]!;
const u32be = (b: Uint8Array, at: number): number => ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
const u32le = (b: Uint8Array, at: number): number => ((b[at + 3]! << 24) >>> 0) + (b[at + 2]! << 16) + (b[at + 1]! << 8) + b[at]!;

/** Text from the file, fit for a log line. */
const printable = (text: string): string => text.replace(/[^\x20-\x7e]/g, '?');

/** The identifier an APPn segment starts with (`Exif`, `ICC_PROFILE`, an XMP namespace URI). */
function segmentId(bytes: Uint8Array, start: number, end: number): string {
  let stop = start;
  while (stop < end && stop - start < 40 && bytes[stop] !== 0) stop++;
  return printable(ascii(bytes, start, stop));
}

const walkJpeg: Walker = (bytes, found) => {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return false;
  let pos = 2;
  for (;;) {
    if (pos + 1 >= bytes.length || bytes[pos] !== 0xff) return false;
    const marker = bytes[pos + 1]!;
    if (marker === 0xff) { pos += 1; continue; } // fill byte (T.81 B.1.1.2)
    if (marker === 0xd9) { // EOI
      if (pos + 2 < bytes.length) found.push(TRAILING_BYTES);
      return true;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { pos += 2; continue; } // no length
    if (pos + 3 >= bytes.length) return false;
    const end = pos + 2 + u16be(bytes, pos + 2);
    if (end > bytes.length || end < pos + 4) return false;
    const blocked = jpegSegmentProblem(bytes, marker, pos + 4, end);
    if (blocked) found.push(blocked);
    pos = marker === 0xda ? skipEntropyCoded(bytes, end) : end;
    if (pos < 0) return false;
  }
};

/** Why a JPEG segment must not be served, or null when display needs it (tables, frame, scan). */
function jpegSegmentProblem(bytes: Uint8Array, marker: number, body: number, end: number): string | null {
  if (marker === 0xfe) return 'jpeg comment';
  if (marker < 0xe0 || marker > 0xef) return null; // DQT, DHT, SOFn, DRI, SOS, …
  const id = segmentId(bytes, body, end);
  // JFIF: density only, unless it carries a thumbnail (Xthumbnail × Ythumbnail > 0, JFIF 1.02).
  if (marker === 0xe0 && id === 'JFIF' && end - body >= 14 && bytes[body + 12]! * bytes[body + 13]! === 0) return null;
  if (marker === 0xe2 && id === 'ICC_PROFILE') return null; // colour; the cleaned copy keeps it too
  if (marker === 0xee && id.startsWith('Adobe')) return null; // colour transform flag for decoders
  return `jpeg APP${marker - 0xe0} ${id}`.trimEnd();
}

/** Index of the marker that ends the entropy-coded data starting at `pos`, or -1. */
function skipEntropyCoded(bytes: Uint8Array, pos: number): number {
  for (let i = pos; ; i++) {
    i = bytes.indexOf(0xff, i);
    if (i < 0 || i + 1 >= bytes.length) return -1;
    const next = bytes[i + 1]!;
    // 0xFF00 is a stuffed 0xFF and RSTn sit inside the data; any other marker ends it.
    if (next !== 0x00 && (next < 0xd0 || next > 0xd7)) return i;
  }
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
// Pixels, palette, transparency, colour and pixel size; APNG's animation chunks for completeness.
const PNG_DISPLAY_CHUNKS = new Set([
  'IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'iCCP', 'sBIT', 'bKGD', 'pHYs',
  'cICP', 'mDCv', 'cLLi', 'acTL', 'fcTL', 'fdAT',
]);

const walkPng: Walker = (bytes, found) => {
  if (!PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return false;
  let pos = 8;
  for (;;) {
    if (pos + 8 > bytes.length) return false;
    const type = ascii(bytes, pos + 4, pos + 8);
    const end = pos + 12 + u32be(bytes, pos); // length, type, data, CRC
    if (end > bytes.length) return false;
    if (type === 'IEND') {
      if (end < bytes.length) found.push(TRAILING_BYTES);
      return true;
    }
    if (!PNG_DISPLAY_CHUNKS.has(type)) found.push(`png ${type}`); // tEXt, zTXt, iTXt, eXIf, tIME, …
    pos = end;
  }
};

// Image data, alpha, animation, colour profile and the extended header (RFC 9649 §2.7).
const WEBP_DISPLAY_CHUNKS = new Set(['VP8 ', 'VP8L', 'VP8X', 'ALPH', 'ANIM', 'ANMF', 'ICCP']);
const ANMF_HEADER_BYTES = 16;

/** End of the RIFF payload per its header, or null when the file is not a RIFF WEBP. */
function riffEnd(bytes: Uint8Array): number | null {
  if (bytes.length < 12 || ascii(bytes, 0, 4) !== 'RIFF' || ascii(bytes, 8, 12) !== 'WEBP') return null;
  return 8 + u32le(bytes, 4);
}

/** Calls `visit` for each chunk in [pos, end), descending into animation frames; false if malformed. */
function walkRiff(bytes: Uint8Array, pos: number, end: number, visit: (fourcc: string) => void): boolean {
  while (pos < end) {
    if (pos + 8 > end) return false;
    const fourcc = ascii(bytes, pos, pos + 4);
    const size = u32le(bytes, pos + 4);
    const chunkEnd = pos + 8 + size + (size & 1); // chunks are padded to an even size
    if (chunkEnd > end + (size & 1)) return false;
    visit(fourcc);
    if (fourcc === 'ANMF' && size < ANMF_HEADER_BYTES) return false;
    if (fourcc === 'ANMF' && !walkRiff(bytes, pos + 8 + ANMF_HEADER_BYTES, pos + 8 + size, visit)) return false;
    pos = chunkEnd;
  }
  return true;
}

const walkWebp: Walker = (bytes, found) => {
  const end = riffEnd(bytes);
  if (end === null || end > bytes.length) return false;
  const ok = walkRiff(bytes, 12, end, (fourcc) => {
    if (!WEBP_DISPLAY_CHUNKS.has(fourcc)) found.push(`webp ${fourcc.trimEnd()}`); // EXIF, XMP, …
  });
  if (ok && end < bytes.length) found.push(TRAILING_BYTES);
  return ok;
};

/** Position after a run of GIF data sub-blocks (each length-prefixed, ended by 0), or -1. */
function skipSubBlocks(bytes: Uint8Array, pos: number): number {
  while (pos < bytes.length) {
    const size = bytes[pos]!;
    pos += 1 + size;
    if (size === 0) return pos;
  }
  return -1;
}

const colourTableBytes = (flags: number): number => (flags & 0x80 ? 3 * (2 << (flags & 0x07)) : 0);
// Looping (Netscape 2.0 and its AnimExts twin) is the only application extension display needs.
const GIF_DISPLAY_APPLICATIONS = new Set(['NETSCAPE2.0', 'ANIMEXTS1.0']);

const walkGif: Walker = (bytes, found) => {
  const signature = ascii(bytes, 0, 6);
  if ((signature !== 'GIF87a' && signature !== 'GIF89a') || bytes.length < 13) return false;
  let pos = 13 + colourTableBytes(bytes[10]!); // header, logical screen descriptor, global table
  for (;;) {
    if (pos >= bytes.length) return false;
    const introducer = bytes[pos];
    if (introducer === 0x3b) { // trailer
      if (pos + 1 < bytes.length) found.push(TRAILING_BYTES);
      return true;
    }
    if (introducer === 0x2c) { // image descriptor, local table, LZW code size, data
      if (pos + 10 > bytes.length) return false;
      pos = skipSubBlocks(bytes, pos + 10 + colourTableBytes(bytes[pos + 9]!) + 1);
    } else if (introducer === 0x21 && pos + 2 < bytes.length) {
      const label = bytes[pos + 1]!;
      if (label === 0xfe) found.push('gif comment');
      else if (label === 0x01) found.push('gif plain text');
      else if (label === 0xff) {
        const application = printable(ascii(bytes, pos + 3, pos + 3 + Math.min(bytes[pos + 2]!, 11)));
        if (!GIF_DISPLAY_APPLICATIONS.has(application)) found.push(`gif application ${application}`);
      } else if (label !== 0xf9) found.push(`gif extension 0x${label.toString(16)}`); // 0xF9: frame timing
      pos = skipSubBlocks(bytes, pos + 2);
    } else {
      return false;
    }
    if (pos < 0) return false;
  }
};
