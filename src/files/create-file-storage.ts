/** Chooses the FileStorage backend from the settings: S3 when configured, else local disk. */
import type { FileStorage } from '../domain/ports/file-storage.js';
import { LocalFileStorage } from './local-file-storage.js';

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

/** The AWS SDK is loaded only for S3: tens of megabytes of memory a server on local disk never needs. */
export async function createFileStorage(settings: FileStorageSettings): Promise<FileStorage> {
  const { s3 } = settings;
  if (!s3) return new LocalFileStorage(settings.uploadDir);
  const { S3FileStorage } = await import('./s3-file-storage.js');
  return new S3FileStorage({
    endpoint: s3.endpoint ?? undefined,
    bucket: s3.bucket,
    region: s3.region,
    accessKeyId: s3.accessKeyId ?? undefined,
    secretAccessKey: s3.secretAccessKey ?? undefined,
    forcePathStyle: s3.forcePathStyle,
  });
}
