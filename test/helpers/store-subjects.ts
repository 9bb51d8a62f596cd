/**
 * The stores the Store port's contract runs against: the in-memory fake the unit tests use and
 * each enabled SQL dialect (test/helpers/dialects.ts), each on a fresh database, so the fake
 * cannot drift from what the domain really gets. Plus the factories the contract suites share.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import type { Store } from '../../src/domain/ports/repositories.js';
import { openStore } from '../../src/store/store.js';
import { InMemoryStore } from '../unit/fakes/in-memory-store.js';
import { createTestDatabase } from './databases.js';
import { enabledDialects } from './dialects.js';

export interface OpenedStore {
  store: Store;
  close(): Promise<void>;
}

export interface StoreSubject {
  name: string;
  open(): Promise<OpenedStore>;
}

export const storeSubjects: StoreSubject[] = [
  { name: 'in-memory fake', open: async () => ({ store: new InMemoryStore(), close: async () => {} }) },
  ...enabledDialects().map((dialect) => ({
    name: dialect,
    async open(): Promise<OpenedStore> {
      const database = await createTestDatabase(dialect);
      const options = { poolMax: 4, statementTimeoutMs: 10_000, connectTimeoutMs: 5_000, sqliteBusyTimeoutMs: 5_000, cacheInProcess: false };
      const store = await openStore(database.url, options);
      return { store, close: async () => (await store.close(), await database.drop()) };
    },
  })),
];

/**
 * Opens the subject's store before the suite's tests and closes it after them. The returned
 * object stands for that store (it forwards to it), so a suite uses it like the store itself.
 */
export function storeForSuite(subject: StoreSubject): Store {
  let opened: OpenedStore | undefined;
  beforeAll(async () => {
    opened = await subject.open();
  });
  afterAll(async () => {
    await opened?.close();
  });
  return new Proxy({} as Store, {
    get: (_target, key) => {
      if (!opened) throw new Error('the store is opened in beforeAll: use it inside tests');
      return Reflect.get(opened.store, key);
    },
  });
}

/** A fixed instant, `second` seconds into 2026: for times the caller passes to the store. */
export const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();

/** Users, conversations and sends stored directly through the port; `store` is read at each call (suites open it in beforeAll). */
export function storeFactories(store: () => Store) {
  async function user(name = `u${randomUUID().slice(0, 8)}`): Promise<string> {
    const id = randomUUID();
    await store().users.create({ id, username: name, created_at: at(0), password_hash: 'h' });
    return id;
  }

  async function conversation(owner: string, members: string[] = [], createdAt: string = at(0)): Promise<string> {
    const id = randomUUID();
    await store().conversations.create({ id, title: 't', created_by: owner, created_at: createdAt, member_ids: members });
    return id;
  }

  // The store stamps created_at itself, inside the write.
  const send = (conversation_id: string, sender_id: string, content = 'x', message_id: string = randomUUID()) =>
    store().messages.append({ message_id, conversation_id, sender_id, content });

  return { user, conversation, send };
}
