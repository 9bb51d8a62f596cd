/**
 * The uploads workload's baseline: the same bytes written to the same filesystem with Node's fs
 * streams, as the server's local storage writes them (src/files/local-file-storage.ts) and
 * nothing else: a Readable of the file's chunks piped into fs.createWriteStream of a temporary
 * file (flags 'wx', mode 0600, `flush`: fsync before close), renamed into place, the directory
 * fsync'd. No HTTP, no multipart parsing, no hashing, no database: the ceiling for the server
 * on this disk, in this process (the runner, on the load generator's core).
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface WritersOutcome {
  wallMs: number;
  files: number;
  /** Per file, from its first write to its directory's fsync. */
  fileMs: number[];
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** One file, as LocalFileStorage.put writes it. */
async function writeOnce(dir: string, chunks: readonly Buffer[]): Promise<void> {
  const temporary = join(dir, 'tmp', `${randomUUID()}.part`);
  const target = join(dir, 'files', randomUUID());
  await mkdir(join(dir, 'tmp'), { recursive: true });
  await pipeline(Readable.from(chunks), createWriteStream(temporary, { flags: 'wx', mode: 0o600, flush: true }));
  await mkdir(join(dir, 'files'), { recursive: true });
  await rename(temporary, target);
  await syncDirectory(join(dir, 'files'));
}

/** `writers` writers at once, each writing `filesPerWriter` files in sequence into `dir`. */
export async function writeConcurrently(dir: string, writers: number, filesPerWriter: number, chunks: readonly Buffer[]): Promise<WritersOutcome> {
  await mkdir(join(dir, 'tmp'), { recursive: true });
  await mkdir(join(dir, 'files'), { recursive: true });
  const fileMs: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (let n = 0; n < filesPerWriter; n++) {
        const t0 = performance.now();
        await writeOnce(dir, chunks);
        fileMs.push(performance.now() - t0);
      }
    }),
  );
  return { wallMs: performance.now() - started, files: writers * filesPerWriter, fileMs };
}

/** Removes what a phase wrote (untimed), so every phase starts from the same disk use. */
export async function clearDirectory(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
}
