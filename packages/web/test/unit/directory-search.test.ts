/**
 * The directory search behind "New conversation"'s people picker: one request once typing
 * pauses, none under 2 characters or over 64, and an answer for text since changed is dropped.
 */
import type { User } from '@pneumatic/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DIRECTORY_DEBOUNCE_MS, DirectorySearch } from '../../src/lib/directory-search.js';

const user = (username: string): User => ({ id: username, username, created_at: '2026-12-06T10:00:00.000Z', is_bot: false, display_name: null, avatar_url: null, status_text: null, deactivated: false });

/** A search whose answers the test releases one by one. */
function pendingSearch() {
  const asked: string[] = [];
  const answers: Array<{ resolve: (users: User[]) => void; reject: (error: unknown) => void }> = [];
  const search = new DirectorySearch(
    (query) =>
      new Promise<User[]>((resolve, reject) => {
        asked.push(query);
        answers.push({ resolve, reject });
      }),
  );
  return { search, asked, answers };
}

describe('DirectorySearch', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks once typing pauses, with the text trimmed, and shows the answer', async () => {
    const { search, asked, answers } = pendingSearch();
    search.setQuery('j');
    search.setQuery('jo');
    search.setQuery(' jos ');
    expect(search.results.get()).toMatchObject({ query: 'jos', status: 'searching' });
    vi.advanceTimersByTime(DIRECTORY_DEBOUNCE_MS - 1);
    expect(asked).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(asked).toEqual(['jos']);
    answers[0]!.resolve([user('jose')]);
    await vi.runAllTimersAsync();
    expect(search.results.get()).toEqual({ query: 'jos', status: 'done', users: [user('jose')], error: null });
  });

  it('asks nothing under 2 characters (a space does not count) or over 64, and clears the list', () => {
    const { search, asked } = pendingSearch();
    search.setQuery('a ');
    search.setQuery('é');
    vi.advanceTimersByTime(DIRECTORY_DEBOUNCE_MS);
    expect(search.results.get().status).toBe('idle');
    search.setQuery('x'.repeat(65));
    vi.advanceTimersByTime(DIRECTORY_DEBOUNCE_MS);
    expect(search.results.get()).toMatchObject({ status: 'done', users: [] });
    expect(asked).toEqual([]);
  });

  it('drops an answer that comes after the text changed again, keeping the list of what is typed', async () => {
    const { search, asked, answers } = pendingSearch();
    search.setQuery('an');
    vi.advanceTimersByTime(DIRECTORY_DEBOUNCE_MS);
    search.setQuery('ana');
    vi.advanceTimersByTime(DIRECTORY_DEBOUNCE_MS);
    answers[1]!.resolve([user('ana')]);
    answers[0]!.resolve([user('andrew'), user('ana')]);
    await vi.runAllTimersAsync();
    expect(asked).toEqual(['an', 'ana']);
    expect(search.results.get()).toMatchObject({ query: 'ana', users: [user('ana')] });
  });

  it('says why a search failed, and searches the same text again when asked', async () => {
    const { search, asked, answers } = pendingSearch();
    search.setQuery('bo');
    vi.advanceTimersByTime(DIRECTORY_DEBOUNCE_MS);
    answers[0]!.reject(new Error('offline'));
    await vi.runAllTimersAsync();
    expect(search.results.get()).toMatchObject({ status: 'failed', error: 'Something went wrong.' });
    search.setQuery('bo');
    vi.advanceTimersByTime(DIRECTORY_DEBOUNCE_MS);
    expect(asked).toEqual(['bo', 'bo']);
  });

  it('asks nothing after it is disposed', () => {
    const { search, asked } = pendingSearch();
    search.setQuery('zed');
    search.dispose();
    vi.advanceTimersByTime(DIRECTORY_DEBOUNCE_MS);
    expect(asked).toEqual([]);
  });
});
