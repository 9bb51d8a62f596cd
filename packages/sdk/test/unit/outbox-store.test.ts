import { describe, expect, it, vi } from 'vitest';
import { LocalStorageOutboxStore, MemoryOutboxStore, type OutboxEntry, type StorageLike } from '../../src/outbox-store.js';
import { Outbox, type OutboxTransport } from '../../src/outbox.js';
import { flushMicrotasks, storedFrom } from './fixtures.js';

/** localStorage as a browser has it: strings under keys, counting writes. */
class FakeStorage implements StorageLike {
  readonly items = new Map<string, string>();
  writes = 0;

  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }

  setItem(key: string, value: string): void {
    this.writes++;
    this.items.set(key, String(value));
  }
}

function entry(message_id: string, overrides: Partial<OutboxEntry> = {}): OutboxEntry {
  return { message_id, conversation_id: 'c', content: `content of ${message_id}`, user_id: 'me', created_at: 1, deadline_at: null, ...overrides };
}

describe('MemoryOutboxStore', () => {
  it('keeps copies in insertion order, replaces by message_id, and removes', () => {
    const store = new MemoryOutboxStore();
    const first = entry('m1');
    store.save(first);
    store.save(entry('m2'));
    first.content = 'changed after saving';
    store.save(entry('m2', { content: 'again' }));
    expect(store.load().map((e) => [e.message_id, e.content])).toEqual([
      ['m1', 'content of m1'],
      ['m2', 'again'],
    ]);
    store.remove('m1');
    store.remove('unknown');
    expect(store.load().map((e) => e.message_id)).toEqual(['m2']);
  });
});

describe('LocalStorageOutboxStore', () => {
  it('survives a reload: a new store on the same storage and key loads what the old one saved', () => {
    const storage = new FakeStorage();
    const before = new LocalStorageOutboxStore('outbox', storage);
    before.save(entry('m1', { deadline_at: 99 }));
    before.save(entry('m2'));
    before.save(entry('m1', { content: 'resaved' }));
    const after = new LocalStorageOutboxStore('outbox', storage);
    expect(after.load()).toEqual([entry('m2'), entry('m1', { content: 'resaved' })]);
    expect(new LocalStorageOutboxStore('another-key', storage).load()).toEqual([]);
  });

  it('removes by message_id and does not write when there is nothing to remove', () => {
    const storage = new FakeStorage();
    const store = new LocalStorageOutboxStore('outbox', storage);
    store.save(entry('m1'));
    store.save(entry('m2'));
    const writes = storage.writes;
    store.remove('nope');
    expect(storage.writes).toBe(writes);
    store.remove('m1');
    expect(store.load().map((e) => e.message_id)).toEqual(['m2']);
  });

  it('reads corrupt or foreign data as empty, and drops malformed entries', () => {
    const storage = new FakeStorage();
    const store = new LocalStorageOutboxStore('outbox', storage);
    storage.setItem('outbox', '{not json');
    expect(store.load()).toEqual([]);
    storage.setItem('outbox', '{"an":"object"}');
    expect(store.load()).toEqual([]);
    storage.setItem('outbox', JSON.stringify([entry('ok'), null, 5, { message_id: 'half' }, { ...entry('bad'), content: 1 }]));
    expect(store.load()).toEqual([entry('ok')]);
    store.save(entry('m2'));
    expect(store.load().map((e) => e.message_id)).toEqual(['ok', 'm2']);
  });

  it('uses the global localStorage by default, and needs one or an explicit storage', () => {
    const storage = new FakeStorage();
    vi.stubGlobal('localStorage', storage);
    try {
      new LocalStorageOutboxStore().save(entry('m1'));
      expect(JSON.parse(storage.getItem('pneumatic.outbox') ?? '[]')).toEqual([entry('m1')]);
      vi.stubGlobal('localStorage', undefined);
      expect(() => new LocalStorageOutboxStore('outbox')).toThrow(/localStorage/);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("lets the next page resend a send the previous page never got acknowledged, with its message_id", async () => {
    const storage = new FakeStorage();
    const never: OutboxTransport = { deliver: () => new Promise(() => {}) };
    const firstPage = new Outbox({ store: new LocalStorageOutboxStore('outbox', storage) });
    await firstPage.start('me', never);
    void firstPage.send('c', 'hello', { messageId: 'm1' });
    await flushMicrotasks();

    const delivered: string[] = [];
    const ack: OutboxTransport = {
      deliver: (e) => {
        delivered.push(`${e.message_id}:${e.content}`);
        return Promise.resolve(storedFrom(e, 1));
      },
    };
    const secondStore = new LocalStorageOutboxStore('outbox', storage);
    const secondPage = new Outbox({ store: secondStore });
    const sent: string[] = [];
    secondPage.on('sent', ({ message }) => sent.push(message.message_id));
    await secondPage.start('me', ack);
    await flushMicrotasks();
    expect(delivered).toEqual(['m1:hello']);
    expect(sent).toEqual(['m1']);
    expect(secondStore.load()).toEqual([]);
  });
});
