/**
 * Where an upload's bytes live in FileStorage: keys made from its id only, never from anything
 * a client sent (a filename is display text).
 */
export type UploadVariant = 'content' | 'thumbnail';

export function storageKeys(id: string): { original: string; cleaned: string; thumbnail: string } {
  return { original: `uploads/${id}`, cleaned: `cleaned/${id}`, thumbnail: `thumbnails/${id}` };
}
