/** Chooses the FileStorage backend from the settings: S3 when configured, else local disk. */
import type { FileStorage } from '../domain/ports/file-storage.js';
import { LocalFileStorage } from './local-file-storage.js';
import { S3FileStorage } from './s3-file-storage.js';

export interface FileStorageSettings {
  /** Local backend's directory; unused when `s3` is set. */
  uploadDir: string;
  s3: null | {
    endpoint: string | null;
    bucket: string;
    region: string;
    /** Null (both) for the SDK's default credential chain: environment, profile, instance role. */
    accessKeyId: string | null;
    secretAccessKey: string | null;
    forcePathStyle: boolean;
  };
}

export function createFileStorage(settings: FileStorageSettings): FileStorage {
  const { s3 } = settings;
  if (!s3) return new LocalFileStorage(settings.uploadDir);
  return new S3FileStorage({
    endpoint: s3.endpoint ?? undefined,
    bucket: s3.bucket,
    region: s3.region,
    accessKeyId: s3.accessKeyId ?? undefined,
    secretAccessKey: s3.secretAccessKey ?? undefined,
    forcePathStyle: s3.forcePathStyle,
  });
}
