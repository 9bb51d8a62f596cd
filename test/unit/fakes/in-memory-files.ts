/**
 * The FileStorage port in memory, for unit tests of what the domain stores and deletes (avatars):
 * whole objects by key, with the list of deletions kept for assertions. Ranges and temporary
 * files belong to the real backends' own suites (test/files/).
 */
import { Readable } from 'node:stream';
import type { FileStorage } from '../../../src/domain/ports/file-storage.js';

export class InMemoryFileStorage implements FileStorage {
  readonly kind = 'local' as const;
  readonly objects = new Map<string, { bytes: Buffer; contentType: string }>();
  /** Every key deleted, in order, whether or not something was there (deleting nothing is no error). */
  readonly deleted: string[] = [];

  async put(key: string, body: Readable, contentType: string): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
    this.objects.set(key, { bytes: Buffer.concat(chunks), contentType });
  }

  async get(key: string): Promise<Readable | null> {
    const object = this.objects.get(key);
    return object ? Readable.from([object.bytes]) : null;
  }

  async size(key: string): Promise<number | null> {
    return this.objects.get(key)?.bytes.length ?? null;
  }

  async delete(key: string): Promise<void> {
    this.deleted.push(key);
    this.objects.delete(key);
  }

  async close(): Promise<void> {}
}
