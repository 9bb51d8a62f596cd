/**
 * An avatar from an uploaded image (docs/API.md, "Profiles"): EXIF orientation applied, the
 * largest centred square cropped, resized to `side`×`side`, re-encoded as WebP. sharp writes
 * no metadata unless asked (withMetadata), so GPS and the like never reach the avatar; the
 * first frame of an animation only. Null when the bytes do not decode within the same limits
 * as any upload (image-processor.ts).
 */
import type { Readable } from 'node:stream';
import sharp from 'sharp';
import { INPUT, readAll } from './image-processor.js';

const AVATAR_QUALITY = 85;

export async function makeAvatar(open: () => Promise<Readable>, side: number): Promise<Uint8Array | null> {
  const bytes = await readAll(await open());
  try {
    return await sharp(bytes, { ...INPUT, animated: false })
      .rotate()
      .resize(side, side, { fit: 'cover', position: 'centre' })
      .webp({ quality: AVATAR_QUALITY })
      .toBuffer();
  } catch {
    // sharp refused the bytes (corrupt, truncated, too many pixels): not an image we can use.
    return null;
  }
}
