/**
 * A list read a page at a time from a route that answers `next_cursor` (docs/API.md,
 * "Administration": the users, the audit log, the reports): a query's first page, then "Load more" for the
 * next. A new query drops whatever an older one answers late, so a slow first search never
 * lands over the results of the one typed after it.
 */
import { Atom } from './atom.js';

/** One page as the list needs it: its items, and the cursor of the next (null at the end). */
export interface ListPage<T> {
  items: readonly T[];
  next_cursor: string | null;
}

export type PageLoader<T> = (cursor: string | undefined) => Promise<ListPage<T>>;

export interface PagedView<T> {
  items: readonly T[];
  /** A page is on its way (the first of a query, or the next). */
  loading: boolean;
  /** The first page has arrived (an empty list then means "none"). */
  loaded: boolean;
  /** Another page follows. */
  more: boolean;
  /** Why the last request failed; null after a success. */
  error: unknown;
}

const EMPTY: PagedView<never> = { items: [], loading: false, loaded: false, more: false, error: null };

export class PagedList<T extends { id: string }> {
  readonly view = new Atom<PagedView<T>>(EMPTY);
  private loader: PageLoader<T> | null = null;
  private cursor: string | null = null;
  /** Bumped by each query: an answer for an older one is dropped. */
  private generation = 0;

  /** Starts over with a new query: shows its first page when it arrives. */
  show(loader: PageLoader<T>): Promise<void> {
    this.loader = loader;
    this.cursor = null;
    this.view.set({ ...EMPTY, loading: true });
    return this.fetch(undefined);
  }

  /** Appends the next page; nothing while one is loading or after the last. */
  more(): Promise<void> {
    const view = this.view.get();
    if (!this.loader || this.cursor === null || view.loading) return Promise.resolve();
    this.view.set({ ...view, loading: true, error: null });
    return this.fetch(this.cursor);
  }

  /** One item as the server now has it (the answer to a change), in its place; unknown ids are ignored. */
  replace(item: T): void {
    const view = this.view.get();
    if (view.items.some((i) => i.id === item.id)) this.view.set({ ...view, items: view.items.map((i) => (i.id === item.id ? item : i)) });
  }

  /** One item no longer in the query's results (a report closed in the open queue); unknown ids are ignored. */
  remove(id: string): void {
    const view = this.view.get();
    if (view.items.some((i) => i.id === id)) this.view.set({ ...view, items: view.items.filter((i) => i.id !== id) });
  }

  private async fetch(cursor: string | undefined): Promise<void> {
    const generation = ++this.generation;
    try {
      const page = await this.loader!(cursor);
      if (generation !== this.generation) return;
      this.cursor = page.next_cursor;
      const current = this.view.get();
      // An item already shown (it moved between pages while paging) stays where it was.
      const known = new Set(current.items.map((i) => i.id));
      const items = cursor === undefined ? page.items : [...current.items, ...page.items.filter((i) => !known.has(i.id))];
      this.view.set({ items, loading: false, loaded: true, more: page.next_cursor !== null, error: null });
    } catch (error) {
      if (generation !== this.generation) return;
      this.view.set({ ...this.view.get(), loading: false, error });
    }
  }
}
