/**
 * The paged lists of Administration (src/lib/stores/paged-list.ts): a query's first page, "Load
 * more" appending the next, an answer to an older query dropped, a failure kept beside what is
 * shown, a changed item shown in its place, and an item that left the query dropped.
 */
import { describe, expect, it } from 'vitest';
import { PagedList, type ListPage } from '../../src/lib/stores/paged-list.js';

interface Item {
  id: string;
  name: string;
}

const item = (id: string, name = id): Item => ({ id, name });
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** A loader whose answers the test releases one by one, recording the cursors asked for. */
function pendingLoader() {
  const cursors: Array<string | undefined> = [];
  const answers: Array<{ resolve: (page: ListPage<Item>) => void; reject: (error: unknown) => void }> = [];
  const load = (cursor: string | undefined) =>
    new Promise<ListPage<Item>>((resolve, reject) => {
      cursors.push(cursor);
      answers.push({ resolve, reject });
    });
  return { load, cursors, answers };
}

describe('PagedList', () => {
  it('shows a query\'s first page, then appends the next one with its cursor, until the last', async () => {
    const list = new PagedList<Item>();
    const { load, cursors, answers } = pendingLoader();
    void list.show(load);
    expect(list.view.get()).toEqual({ items: [], loading: true, loaded: false, more: false, error: null });
    answers[0]!.resolve({ items: [item('a'), item('b')], next_cursor: 'c1' });
    await settle();
    expect(list.view.get()).toEqual({ items: [item('a'), item('b')], loading: false, loaded: true, more: true, error: null });

    void list.more();
    expect(list.view.get().loading).toBe(true);
    answers[1]!.resolve({ items: [item('c')], next_cursor: null });
    await settle();
    expect(cursors).toEqual([undefined, 'c1']);
    expect(list.view.get()).toEqual({ items: [item('a'), item('b'), item('c')], loading: false, loaded: true, more: false, error: null });
  });

  it('asks nothing more after the last page, nor while a page is loading', async () => {
    const list = new PagedList<Item>();
    const { load, cursors, answers } = pendingLoader();
    void list.show(load);
    void list.more();
    answers[0]!.resolve({ items: [item('a')], next_cursor: null });
    await settle();
    await list.more();
    expect(cursors).toEqual([undefined]);
  });

  it('drops a late answer to an older query, keeping the newer query\'s page', async () => {
    const list = new PagedList<Item>();
    const first = pendingLoader();
    const second = pendingLoader();
    void list.show(first.load);
    void list.show(second.load);
    second.answers[0]!.resolve({ items: [item('ana')], next_cursor: null });
    await settle();
    first.answers[0]!.resolve({ items: [item('a'), item('b')], next_cursor: 'old' });
    await settle();
    expect(list.view.get()).toMatchObject({ items: [item('ana')], more: false });
  });

  it('keeps what is shown when a page fails, with the failure, and clears it on the next success', async () => {
    const list = new PagedList<Item>();
    const { load, answers } = pendingLoader();
    void list.show(load);
    answers[0]!.resolve({ items: [item('a')], next_cursor: 'c1' });
    await settle();
    void list.more();
    const refusal = new Error('forbidden');
    answers[1]!.reject(refusal);
    await settle();
    expect(list.view.get()).toEqual({ items: [item('a')], loading: false, loaded: true, more: true, error: refusal });
    void list.more();
    answers[2]!.resolve({ items: [item('b')], next_cursor: null });
    await settle();
    expect(list.view.get()).toMatchObject({ items: [item('a'), item('b')], error: null });
  });

  it('does not show an item twice when it moved to the next page meanwhile', async () => {
    const list = new PagedList<Item>();
    const { load, answers } = pendingLoader();
    void list.show(load);
    answers[0]!.resolve({ items: [item('a'), item('b')], next_cursor: 'c1' });
    await settle();
    void list.more();
    answers[1]!.resolve({ items: [item('b', 'moved'), item('c')], next_cursor: null });
    await settle();
    expect(list.view.get().items).toEqual([item('a'), item('b'), item('c')]);
  });

  it('shows a changed item in its place, and ignores one it does not show', async () => {
    const list = new PagedList<Item>();
    const { load, answers } = pendingLoader();
    void list.show(load);
    answers[0]!.resolve({ items: [item('a'), item('b')], next_cursor: null });
    await settle();
    list.replace(item('b', 'Bea'));
    list.replace(item('z'));
    expect(list.view.get().items).toEqual([item('a'), item('b', 'Bea')]);
  });

  it('drops an item that left the query (a closed report), keeps the cursor of the next page, and ignores one it does not show', async () => {
    const list = new PagedList<Item>();
    const { load, answers, cursors } = pendingLoader();
    void list.show(load);
    answers[0]!.resolve({ items: [item('a'), item('b'), item('c')], next_cursor: 'c1' });
    await settle();
    const before = list.view.get();
    list.remove('z');
    expect(list.view.get()).toBe(before);
    list.remove('b');
    expect(list.view.get()).toMatchObject({ items: [item('a'), item('c')], more: true });
    void list.more();
    expect(cursors).toEqual([undefined, 'c1']);
    answers[1]!.resolve({ items: [item('d')], next_cursor: null });
    await settle();
    expect(list.view.get().items).toEqual([item('a'), item('c'), item('d')]);
  });
});
