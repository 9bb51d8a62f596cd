/**
 * The web app's list of people you block (lib/stores/blocks-store.ts) over an in-memory fake of
 * the three SDK calls: read at sync, a block's id known at once and its entry once read again,
 * an unblock gone at once, and a refusal changing nothing.
 */
import { PneumaticError, type Block, type User } from '@pneumatic/client';
import { describe, expect, it } from 'vitest';
import { BlocksStore, type BlocksApi } from '../../src/lib/stores/blocks-store.js';

const AT = '2026-12-07T09:00:00.000Z';
const user = (id: string): User => ({ id, username: id, created_at: AT, is_bot: false, display_name: null, avatar_url: null, status_text: null, deactivated: false });

/** The server's side, in memory: most recent first, blocking twice changes nothing. */
function fakeApi(initial: string[] = []) {
  let blocks: Block[] = initial.map((id) => ({ user: user(id), created_at: AT }));
  const api: BlocksApi & { failNext: boolean } = {
    failNext: false,
    listBlocks: async () => [...blocks],
    blockUser: async (id) => {
      if (api.failNext) throw new PneumaticError('too_many_blocks', 'Too many blocks', 409);
      if (!blocks.some((b) => b.user.id === id)) blocks = [{ user: user(id), created_at: AT }, ...blocks];
    },
    unblockUser: async (id) => {
      blocks = blocks.filter((b) => b.user.id !== id);
    },
  };
  return api;
}

const ids = (store: BlocksStore) => [...store.blockedIds.get()].sort();

describe('BlocksStore', () => {
  it('knows nothing until read, then the list and its ids', async () => {
    const store = new BlocksStore(() => fakeApi(['bob', 'eve']));
    expect(store.list.get()).toBeNull();
    expect(ids(store)).toEqual([]);
    await store.refresh();
    expect(store.list.get()?.map((b) => b.user.id)).toEqual(['bob', 'eve']);
    expect(ids(store)).toEqual(['bob', 'eve']);
  });

  it('puts a new block first in the list and tells the id followers once', async () => {
    const api = fakeApi(['eve']);
    const store = new BlocksStore(() => api);
    await store.refresh();
    let told = 0;
    store.blockedIds.subscribe(() => told++);
    await store.block('bob');
    expect(store.list.get()?.map((b) => b.user.id)).toEqual(['bob', 'eve']);
    expect(ids(store)).toEqual(['bob', 'eve']);
    expect(told).toBe(1);
  });

  it('drops an unblocked user from the list and the ids at once', async () => {
    const store = new BlocksStore(() => fakeApi(['bob', 'eve']));
    await store.refresh();
    await store.unblock('bob');
    expect(store.list.get()?.map((b) => b.user.id)).toEqual(['eve']);
    expect(ids(store)).toEqual(['eve']);
  });

  it('changes nothing when the server refuses a block', async () => {
    const api = fakeApi();
    api.failNext = true;
    const store = new BlocksStore(() => api);
    await store.refresh();
    await expect(store.block('bob')).rejects.toMatchObject({ code: 'too_many_blocks' });
    expect(store.list.get()).toEqual([]);
    expect(ids(store)).toEqual([]);
  });
});
