/** Real images made with sharp for the upload tests. */
import sharp from 'sharp';

export type SampleFormat = 'png' | 'jpeg' | 'webp' | 'gif';

/** A `width`×`height` image in `format`; with `gps`, a JPEG carrying EXIF with a GPS position. */
export async function imageBytes(format: SampleFormat, width: number, height: number, options: { gps?: boolean } = {}): Promise<Buffer> {
  let image = sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 40 } } }).toFormat(format);
  if (options.gps) image = image.withExif({ IFD0: { Make: 'PneumaticCam' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 30/1' } });
  return image.toBuffer();
}
