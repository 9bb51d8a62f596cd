/**
 * The pieces of uploading that need no server: the progress contract (monotonic, clamped, one
 * final loaded === total), the multipart envelope, and attachments kept by the outbox through
 * storage and every resend.
 */
import { describe, expect, it } from 'vitest';
import { LocalStorageOutboxStore, MemoryOutboxStore, sendFieldsOf, type StorageLike } from '../../src/outbox-store.js';
import { Outbox, type OutboxTransport } from '../../src/outbox.js';
import { escapeQuoted, multipartEnvelope } from '../../src/uploads/multipart-envelope.js';
import { ProgressReporter } from '../../src/uploads/progress-reporter.js';
import type { UploadProgress } from '../../src/uploads/upload-options.js';
import { uploadSource } from '../../src/uploads/upload-source.js';
import { flushMicrotasks, storedFrom } from './fixtures.js';

describe('ProgressReporter', () => {
  it('reports only rising counts, clamped to the file, and loaded === total exactly once', () => {
    const calls: UploadProgress[] = [];
    const reporter = new ProgressReporter(100, (p) => calls.push(p));
    for (const loaded of [-40, 0, 30, 30, 20, 99.6, 250]) reporter.report(loaded);
    reporter.finish();
    expect(calls.map((p) => p.loaded)).toEqual([0, 30, 99, 100]);
    expect(calls.every((p) => p.total === 100)).toBe(true);
  });

  it('reports an empty file once, as 0 of 0', () => {
    const calls: UploadProgress[] = [];
    const reporter = new ProgressReporter(0, (p) => calls.push(p));
    reporter.finish();
    reporter.finish();
    expect(calls).toEqual([{ loaded: 0, total: 0 }]);
  });
});

describe('multipartEnvelope', () => {
  it('frames one file part named "file" between the boundary lines', () => {
    const envelope = multipartEnvelope('a.png', 'image/png', 'XYZ');
    const decoder = new TextDecoder();
    expect(envelope.contentType).toBe('multipart/form-data; boundary=XYZ');
    expect(decoder.decode(envelope.head)).toBe('--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n');
    expect(decoder.decode(envelope.tail)).toBe('\r\n--XYZ--\r\n');
  });

  it('escapes a filename as browsers do, and refuses a claimed type that could break the header', () => {
    expect(escapeQuoted('say "hi"\r\n.txt')).toBe('say %22hi%22%0D%0A.txt');
    const head = new TextDecoder().decode(multipartEnvelope('x', 'text/plain\r\nX-Evil: 1').head);
    expect(head).toContain('Content-Type: application/octet-stream\r\n');
    expect(head).not.toContain('X-Evil');
  });

  it('draws a fresh random boundary for each upload', () => {
    expect(multipartEnvelope('x', 'a/b').contentType).not.toBe(multipartEnvelope('x', 'a/b').contentType);
  });
});

describe('uploadSource', () => {
  it('names bytes by the option, a File by its name, and reads ranges', async () => {
    const bytes = new Uint8Array([1, 2, 3, 4, 5]);
    const source = uploadSource(bytes.buffer, 'b.bin');
    expect([source.size, source.filename, source.contentType]).toEqual([5, 'b.bin', 'application/octet-stream']);
    expect([...(await source.read(1, 3))]).toEqual([2, 3]);
    const file = uploadSource(new File([bytes], 'photo.png', { type: 'image/png' }));
    expect([file.size, file.filename, file.contentType]).toEqual([5, 'photo.png', 'image/png']);
    expect([...(await file.read(3, 5))]).toEqual([4, 5]);
    expect(uploadSource(new Blob([bytes])).filename).toBe('file');
  });
});

describe('attachments in the outbox', () => {
  it('puts them in the entry, the stores keep them, and every delivery names them', async () => {
    const delivered: Array<ReturnType<typeof sendFieldsOf>> = [];
    let attempts = 0;
    const flaky: OutboxTransport = {
      deliver: (entry) => {
        delivered.push(sendFieldsOf(entry));
        if (++attempts === 1) return Promise.reject(new Error('lost'));
        return Promise.resolve(storedFrom(entry, 1));
      },
    };
    const memory = new MemoryOutboxStore();
    const outbox = new Outbox({ store: memory, backoff: { initialDelayMs: 1, maxDelayMs: 1 } });
    await outbox.start('me', flaky);
    const ids = ['u1', 'u2'];
    const sending = outbox.send('c', '', { messageId: 'm1', attachments: ids });
    ids.push('changed after sending');
    expect(memory.load()[0]?.attachments).toEqual(['u1', 'u2']);
    await sending;
    await flushMicrotasks();
    expect(delivered).toEqual([
      { message_id: 'm1', conversation_id: 'c', content: '', attachments: ['u1', 'u2'] },
      { message_id: 'm1', conversation_id: 'c', content: '', attachments: ['u1', 'u2'] },
    ]);
    // None: no attachments field at all (a server before uploads would refuse an unknown one).
    expect(sendFieldsOf({ message_id: 'm', conversation_id: 'c', content: 'x', user_id: 'me', created_at: 0, deadline_at: null, attachments: [] })).not.toHaveProperty('attachments');
  });

  it('survives a reload in localStorage, and drops an entry whose attachments are malformed', () => {
    const items = new Map<string, string>();
    const storage: StorageLike = { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) };
    const entry = { message_id: 'm1', conversation_id: 'c', content: '', user_id: 'me', created_at: 1, deadline_at: null, attachments: ['u1'] };
    new LocalStorageOutboxStore('outbox', storage).save(entry);
    expect(new LocalStorageOutboxStore('outbox', storage).load()).toEqual([entry]);
    items.set('outbox', JSON.stringify([entry, { ...entry, message_id: 'm2', attachments: 'u1' }, { ...entry, message_id: 'm3', attachments: [1] }]));
    expect(new LocalStorageOutboxStore('outbox', storage).load().map((e) => e.message_id)).toEqual(['m1']);
  });
});
