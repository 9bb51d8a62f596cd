/**
 * The directory as you type (docs/API.md, "Finding people"): `GET /users?q=` once typing pauses,
 * for 2 characters or more; an answer that comes back after the text changed again is dropped, so
 * the list always matches what is in the field.
 */
import { DIRECTORY_QUERY_MAX_CHARS, DIRECTORY_QUERY_MIN_CHARS } from '@pneumatic/protocol';
import type { User } from '@pneumatic/client';
import { errorText } from './errors.js';
import { codePoints } from './limits.js';
import { Atom, type Readable } from './stores/atom.js';

/** How long typing must pause before a search, ms: one request per word typed, not per key. */
export const DIRECTORY_DEBOUNCE_MS = 250;

export interface DirectoryResults {
  /** The query these results are for, trimmed ("" when none). */
  readonly query: string;
  /** `idle`: too short to search; `searching`: waiting for the pause or the answer. */
  readonly status: 'idle' | 'searching' | 'done' | 'failed';
  readonly users: readonly User[];
  readonly error: string | null;
}

const IDLE: DirectoryResults = { query: '', status: 'idle', users: [], error: null };

export class DirectorySearch {
  private readonly atom = new Atom<DirectoryResults>(IDLE);
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped by every query: answers to an older one are dropped. */
  private generation = 0;

  constructor(
    private readonly search: (query: string) => Promise<readonly User[]>,
    private readonly debounceMs = DIRECTORY_DEBOUNCE_MS,
  ) {}

  get results(): Readable<DirectoryResults> {
    return this.atom;
  }

  /** The text to look for changed. */
  setQuery(text: string): void {
    const query = text.trim();
    if (query === this.atom.get().query && this.atom.get().status !== 'failed') return;
    clearTimeout(this.timer);
    const generation = ++this.generation;
    const length = codePoints(query);
    if (length < DIRECTORY_QUERY_MIN_CHARS) return this.atom.set(IDLE);
    // Longer than any name the directory holds: nothing can start with it.
    if (length > DIRECTORY_QUERY_MAX_CHARS) return this.atom.set({ query, status: 'done', users: [], error: null });
    // The previous results stay on screen until the new ones come.
    this.atom.set({ ...this.atom.get(), query, status: 'searching', error: null });
    this.timer = setTimeout(() => {
      this.search(query).then(
        (users) => generation === this.generation && this.atom.set({ query, status: 'done', users, error: null }),
        (error: unknown) => generation === this.generation && this.atom.set({ query, status: 'failed', users: [], error: errorText(error) }),
      );
    }, this.debounceMs);
  }

  /** Stops a pending search (the field went away). */
  dispose(): void {
    clearTimeout(this.timer);
    this.generation++;
  }
}
