/**
 * The FileStorage port on a local directory (the default backend, docs/API.md "Files and
 * images"). A key `uploads/<id>` is the file `<dir>/uploads/<id>`. Writes go to `<dir>/tmp/` first
 * and are renamed into place once synced, so a reader never sees half a file and a failed upload
 * leaves nothing under its key.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ByteRange, FileStorage } from '../domain/ports/file-storage.js';
import { checkByteRange } from './byte-range.js';

/** Under the storage directory, so a rename from it into place never crosses filesystems. */
const TEMPORARY_DIRECTORY = 'tmp';

/**
 * Bytes a file's write stream buffers before it pushes back: with the default 16 KiB each
 * 64 KiB network chunk is its own write on the thread pool; at 1 MiB the chunks that arrive
 * while one write runs go down together in one writev (about a fifth more upload throughput
 * in the bench, bench/README.md "Uploads").
 */
const WRITE_BUFFER_BYTES = 1024 * 1024;

export class LocalFileStorage implements FileStorage {
  readonly kind = 'local';
  readonly #root: string;
  readonly #temporary: string;

  /**
   * Creates the directory (and its `tmp/`) at once, synchronously: this runs once at boot, where
   * a directory that cannot be created should stop the server before it accepts an upload.
   */
  constructor(dir: string) {
    this.#root = path.resolve(dir);
    this.#temporary = path.join(this.#root, TEMPORARY_DIRECTORY);
    mkdirSync(this.#temporary, { recursive: true });
  }

  async put(key: string, body: Readable, _contentType: string): Promise<void> {
    const target = this.#pathOf(key);
    const temporary = path.join(this.#temporary, `${randomUUID()}.part`);
    let renamed = false;
    try {
      // Made again on every write (one cheap syscall): an operator emptying the directory while
      // the server runs should cost nothing more than the files removed.
      await mkdir(this.#temporary, { recursive: true });
      // 'wx': a name that exists is someone else's upload, never ours to overwrite. 0600: files
      // are served only through the server, which checks access. flush: fsync before close, so
      // the file is durable before it becomes visible under its key, and after a power cut the
      // key holds the whole file or nothing. pipeline() settles once the file is closed.
      await pipeline(body, createWriteStream(temporary, { flags: 'wx', mode: 0o600, flush: true, highWaterMark: WRITE_BUFFER_BYTES }));
      await mkdir(path.dirname(target), { recursive: true });
      await rename(temporary, target);
      renamed = true;
      await syncDirectory(path.dirname(target));
    } catch (error) {
      await unlinkIfPresent(renamed ? target : temporary).catch(() => undefined);
      // The body is ours to end whichever side failed, as pipeline() does when the disk fails:
      // left paused, a request body would hold its socket until a timeout.
      body.destroy();
      throw error;
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable | null> {
    if (range) checkByteRange(range);
    const file = this.#pathOf(key);
    // Opened here rather than by createReadStream, whose ENOENT would arrive later as a stream
    // error instead of the null the port promises.
    const handle = await open(file, 'r').catch((error: unknown) => {
      if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) return null;
      throw error;
    });
    if (!handle) return null;
    try {
      // A key naming a directory (`uploads` while `uploads/x` exists) is no object.
      if (!(await handle.stat()).isFile()) {
        await handle.close();
        return null;
      }
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
    return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async size(key: string): Promise<number | null> {
    try {
      const info = await stat(this.#pathOf(key));
      return info.isFile() ? info.size : null;
    } catch (error) {
      if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await unlinkIfPresent(this.#pathOf(key));
  }

  async close(): Promise<void> {
    // Nothing held open between calls: each read stream closes its own file.
  }

  /**
   * Removes temporary files last written more than `olderThanMs` ago: what a crash mid-upload
   * left. An upload in progress rewrites its file's mtime with every chunk, so only one stalled
   * for longer than `olderThanMs` can be swept (its rename then fails and its put rejects).
   * Returns how many files were removed.
   */
  async sweepTemporary(olderThanMs: number): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    let names: string[];
    try {
      names = await readdir(this.#temporary);
    } catch (error) {
      if (isCode(error, 'ENOENT')) return 0;
      throw error;
    }
    for (const name of names) {
      const file = path.join(this.#temporary, name);
      try {
        const info = await stat(file);
        if (!info.isFile() || info.mtimeMs >= cutoff) continue;
        await unlink(file);
        removed += 1;
      } catch (error) {
        // Renamed into place or swept by another process meanwhile: nothing left to do.
        if (!isCode(error, 'ENOENT')) throw error;
      }
    }
    return removed;
  }

  /**
   * The file behind `key`. Keys come from the server (`uploads/<id>`), never from a client, so a
   * refusal here is a bug upstream; checked anyway so that no key can name a file outside the
   * directory or inside `tmp/`.
   */
  #pathOf(key: string): string {
    if (key === '' || key.includes('..') || key.includes('\\') || key.includes('\0') || path.isAbsolute(key)) {
      throw new Error(`LocalFileStorage: refused key ${JSON.stringify(key)}`);
    }
    const segments = key.split('/');
    if (segments.some((segment) => segment === '' || segment === '.') || segments[0] === TEMPORARY_DIRECTORY) {
      throw new Error(`LocalFileStorage: refused key ${JSON.stringify(key)}`);
    }
    const file = path.join(this.#root, ...segments);
    if (!file.startsWith(this.#root + path.sep)) throw new Error(`LocalFileStorage: refused key ${JSON.stringify(key)}`);
    return file;
  }
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

async function unlinkIfPresent(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (error) {
    if (!isCode(error, 'ENOENT')) throw error;
  }
}

/**
 * fsync of the directory makes the rename itself durable (POSIX leaves it in the directory's
 * cache until then). Some platforms cannot open a directory for syncing; there it is skipped.
 */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    if (!isCode(error, 'EISDIR') && !isCode(error, 'EPERM') && !isCode(error, 'EINVAL')) throw error;
  } finally {
    await handle?.close();
  }
}
