/**
 * Everything about files one server process holds (docs/API.md, "Files and images"): the
 * storage of the configured backend, the inspector of their bytes, the signer of download
 * links (its key from UPLOAD_URL_SECRET or the database) and the clean-up job.
 */
import { randomBytes } from 'node:crypto';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { Config } from '../config/config.js';
import type { FileInspector } from '../domain/ports/file-inspector.js';
import type { FileStorage } from '../domain/ports/file-storage.js';
import type { UploadRepository } from '../domain/ports/upload-repository.js';
import { parseDatabaseUrl } from '../store/database-url.js';
import { createFileStorage } from './create-file-storage.js';
import { createFileInspector } from './file-inspector.js';
import { UrlSigner } from './signed-urls.js';
import { UploadCleanup } from './upload-cleanup.js';

export interface OpenedFiles {
  files: FileStorage;
  inspector: FileInspector;
  signer: UrlSigner;
  cleanup: UploadCleanup;
  close(): Promise<void>;
}

/** UPLOAD_DIR, or beside the SQLite file (pneumatic.db → pneumatic-uploads/), or ./pneumatic-uploads. */
export function uploadDirOf(config: Pick<Config, 'UPLOAD_DIR' | 'DATABASE_URL'>): string {
  if (config.UPLOAD_DIR !== '') return resolve(config.UPLOAD_DIR);
  const target = parseDatabaseUrl(config.DATABASE_URL);
  if (target.dialect === 'postgres') return resolve('pneumatic-uploads');
  const file = basename(target.path, extname(target.path));
  return join(dirname(target.path), `${file}-uploads`);
}

/** The database's name for the generated key of download links. */
const SECRET_NAME = 'upload_url_key';

export async function openFiles(config: Config, uploads: UploadRepository, log: UploadCleanupLog): Promise<OpenedFiles> {
  const s3 = config.UPLOAD_S3_BUCKET === ''
    ? null
    : {
        endpoint: config.UPLOAD_S3_ENDPOINT === '' ? null : config.UPLOAD_S3_ENDPOINT,
        bucket: config.UPLOAD_S3_BUCKET,
        region: config.UPLOAD_S3_REGION,
        accessKeyId: config.UPLOAD_S3_ACCESS_KEY_ID === '' ? null : config.UPLOAD_S3_ACCESS_KEY_ID,
        secretAccessKey: config.UPLOAD_S3_SECRET_ACCESS_KEY === '' ? null : config.UPLOAD_S3_SECRET_ACCESS_KEY,
        forcePathStyle: config.UPLOAD_S3_FORCE_PATH_STYLE,
      };
  const files = await createFileStorage({ uploadDir: uploadDirOf(config), s3 });
  const secret = config.UPLOAD_URL_SECRET !== '' ? config.UPLOAD_URL_SECRET : await uploads.secret(SECRET_NAME, randomBytes(32).toString('base64url'));
  const signer = new UrlSigner(secret, config.UPLOAD_URL_TTL_SECONDS);
  const cleanup = new UploadCleanup(uploads, files, { orphanHours: config.UPLOAD_ORPHAN_HOURS, intervalMs: config.UPLOAD_CLEANUP_INTERVAL_MS, log });
  cleanup.start();
  return {
    files,
    inspector: createFileInspector(),
    signer,
    cleanup,
    close: async () => {
      await cleanup.stop();
      await files.close();
    },
  };
}

type UploadCleanupLog = ConstructorParameters<typeof UploadCleanup>[2]['log'];
