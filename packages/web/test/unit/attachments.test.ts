/**
 * Files in the web app without a browser: the display helpers (sizes, types, summaries, expired
 * links, which attachments show inline) and the composer's pending uploads over an in-memory
 * uploader (progress, the limits refused before uploading, cancel, retry, and what a send takes).
 */
import { PneumaticError, type Attachment, type Upload, type UploadOptions } from '@pneumatic/client';
import { afterEach, describe, expect, it } from 'vitest';
import { attachmentSummary, fileExtension, fileTypeLabel, humanSize, isInlineImage, linkExpired } from '../../src/lib/attachments.js';
import { FALLBACK_LIMITS, limits } from '../../src/lib/limits.js';
import { PendingUploads } from '../../src/lib/stores/pending-uploads.js';

const file = (overrides: Partial<Attachment> = {}): Attachment => ({
  id: 'a1', filename: 'x.bin', content_type: 'application/octet-stream', size: 10, sha256: '0'.repeat(64),
  width: null, height: null, url: '/uploads/a1/content?expires=2000000000&signature=s', thumbnail_url: null, thumbnail_width: null, thumbnail_height: null, ...overrides,
});

describe('attachment display helpers', () => {
  it('says sizes in binary units, one decimal below 10', () => {
    expect([0, 1, 812, 1024, 1536, 3000, 10 * 1024 - 1, 26_214_400, 3 * 1024 ** 3].map(humanSize)).toEqual(['0 bytes', '1 byte', '812 bytes', '1 KB', '1.5 KB', '2.9 KB', '10 KB', '25 MB', '3 GB']);
  });

  it('names types: known ones, media families, else the extension', () => {
    expect(fileTypeLabel('application/pdf', 'a.pdf')).toBe('PDF');
    expect(fileTypeLabel('video/mp4', 'clip.mp4')).toBe('Video');
    expect(fileTypeLabel('application/octet-stream', 'notes.txt')).toBe('TXT file');
    expect(fileTypeLabel('application/octet-stream', 'README')).toBe('File');
    expect(fileExtension('archive.tar.gz')).toBe('GZ');
  });

  it('shows inline only images with a thumbnail and dimensions', () => {
    expect(isInlineImage(file())).toBe(false);
    const image = file({ width: 800, height: 600, thumbnail_url: '/t', thumbnail_width: 400, thumbnail_height: 300 });
    expect(isInlineImage(image)).toBe(true);
    // An image the server could not decode: a download like any file.
    expect(isInlineImage(file({ content_type: 'image/png' }))).toBe(false);
  });

  it('summarises a message’s files for previews', () => {
    expect(attachmentSummary({ attachments: [] })).toBe('');
    expect(attachmentSummary({ attachments: [file({ filename: 'beach.jpg' })] })).toBe('File: beach.jpg');
    expect(attachmentSummary({ attachments: [file(), file()] })).toBe('2 files');
  });

  it('knows a signed link has expired from its expires parameter, with a margin', () => {
    const now = 1_800_000_000_000;
    expect(linkExpired('/uploads/a/content?expires=1800000100&signature=s', now)).toBe(false);
    expect(linkExpired('/uploads/a/content?expires=1800000003&signature=s', now)).toBe(true);
    expect(linkExpired('/uploads/a/content?expires=1799999000&signature=s', now)).toBe(true);
    expect(linkExpired('/uploads/a/content', now)).toBe(false);
  });
});

/** An uploader under the test's control: each call waits until finished or failed. */
class FakeUploader {
  readonly calls: Array<{ file: File; options: UploadOptions; resolve: (upload: Upload) => void; reject: (error: unknown) => void }> = [];
  readonly upload = (file: File, options: UploadOptions) =>
    new Promise<Upload>((resolve, reject) => {
      this.calls.push({ file, options, resolve, reject });
      options.signal?.addEventListener('abort', () => reject(new PneumaticError('aborted', 'cancelled')));
    });
  finish(index: number, id: string): void {
    const call = this.calls[index]!;
    call.options.onProgress?.({ loaded: call.file.size, total: call.file.size });
    call.resolve({ ...file({ id, filename: call.file.name, size: call.file.size }), created_at: '', attached: false });
  }
}

const bytes = (name: string, size: number) => new File([new Uint8Array(size)], name);
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('PendingUploads', () => {
  afterEach(() => limits.set(FALLBACK_LIMITS));

  it('uploads each file at once with its progress, and a send takes the finished ones in order', async () => {
    const uploader = new FakeUploader();
    const store = new PendingUploads(uploader.upload);
    store.add('c', [bytes('a.bin', 100), bytes('b.bin', 50)]);
    expect(store.of('c').get().items.map((i) => [i.name, i.status, i.loaded])).toEqual([['a.bin', 'uploading', 0], ['b.bin', 'uploading', 0]]);
    uploader.calls[0]!.options.onProgress?.({ loaded: 40, total: 100 });
    expect(store.of('c').get().items[0]!.loaded).toBe(40);
    uploader.finish(1, 'u-b');
    uploader.finish(0, 'u-a');
    await settle();
    expect(store.of('c').get().items.map((i) => i.status)).toEqual(['done', 'done']);
    expect(store.of('other').get().items).toEqual([]);
    expect(store.take('c')).toEqual(['u-a', 'u-b']);
    expect(store.of('c').get().items).toEqual([]);
  });

  it('refuses files over upload_max_bytes, empty ones, and those past attachments_max, before uploading', () => {
    limits.set({ ...FALLBACK_LIMITS, upload_max_bytes: 1000, attachments_max: 2 });
    const uploader = new FakeUploader();
    const store = new PendingUploads(uploader.upload);
    store.add('c', [bytes('big.bin', 2048), bytes('empty.txt', 0), bytes('one', 1), bytes('two', 2), bytes('three', 3)]);
    expect(uploader.calls.map((c) => c.file.name)).toEqual(['one', 'two']);
    const { notice } = store.of('c').get();
    expect(notice).toContain('“big.bin” is 2 KB: files can be at most 1000 bytes.');
    expect(notice).toContain('“empty.txt” is empty.');
    expect(notice).toContain('“three” was not added: a message can carry at most 2 files.');
  });

  it('cancels a running upload through its signal and forgets it; a failed one keeps its error until retried', async () => {
    const uploader = new FakeUploader();
    const store = new PendingUploads(uploader.upload);
    store.add('c', [bytes('slow.bin', 10), bytes('flaky.bin', 10)]);
    const [slow, flaky] = store.of('c').get().items;
    store.remove('c', slow!.id);
    expect(uploader.calls[0]!.options.signal?.aborted).toBe(true);
    uploader.calls[1]!.reject(new PneumaticError('network', 'down'));
    await settle();
    expect(store.of('c').get().items.map((i) => [i.name, i.status, i.error])).toEqual([['flaky.bin', 'failed', 'No connection.']]);
    expect(store.take('c')).toEqual([]);
    store.retry('c', flaky!.id);
    expect(store.of('c').get().items[0]!.status).toBe('uploading');
    expect(uploader.calls[2]!.file.name).toBe('flaky.bin');
    uploader.finish(2, 'u-flaky');
    await settle();
    expect(store.take('c')).toEqual(['u-flaky']);
  });
});
