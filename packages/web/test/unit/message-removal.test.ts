/**
 * Removing a user's messages, as the admin's dialog handles it (src/lib/message-removal.ts;
 * docs/API.md, "Removing a user's messages"): the time window from the form, the progress in
 * words, and polling every second until the job is done or failed. And the export's file
 * (src/lib/data-export.ts).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { exportFileName, exportFileText } from '../../src/lib/data-export.js';
import { pollRemoval, removalProgressText, removalWindow, removalWindowText, type RemovalProgress } from '../../src/lib/message-removal.js';

describe('removalWindow', () => {
  it('leaves out empty bounds: nothing typed removes all of their messages', () => {
    expect(removalWindow('', '')).toEqual({ window: {}, problems: {} });
    expect(removalWindow('  ', '')).toEqual({ window: {}, problems: {} });
  });

  it('sends the browser\'s local times as instants', () => {
    const from = '2026-03-01T09:30';
    const to = '2026-03-02T18:00';
    expect(removalWindow(from, to)).toEqual({ window: { from: new Date(from).toISOString(), to: new Date(to).toISOString() }, problems: {} });
    expect(removalWindow(from, '').window).toEqual({ from: new Date(from).toISOString() });
    expect(removalWindow('', to).window).toEqual({ to: new Date(to).toISOString() });
  });

  it('refuses To at or before From, and values that are not times', () => {
    expect(removalWindow('2026-03-02T18:00', '2026-03-01T09:30').problems).toEqual({ to: 'Pick a time after “From”.' });
    expect(removalWindow('2026-03-02T18:00', '2026-03-02T18:00').problems).toEqual({ to: 'Pick a time after “From”.' });
    expect(removalWindow('yesterday', '').problems).toEqual({ from: 'Enter a date and time, or leave it empty.' });
  });

  it('says which messages a window covers', () => {
    const time = (iso: string) => `<${iso.slice(0, 10)}>`;
    expect(removalWindowText({}, time)).toBe('all their messages');
    expect(removalWindowText({ from: '2026-03-01T00:00:00.000Z' }, time)).toBe('their messages sent after <2026-03-01>');
    expect(removalWindowText({ to: '2026-03-02T00:00:00.000Z' }, time)).toBe('their messages sent before <2026-03-02>');
    expect(removalWindowText({ from: '2026-03-01T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z' }, time)).toBe('their messages sent between <2026-03-01> and <2026-03-02>');
  });
});

describe('removalProgressText', () => {
  it('counts what is removed while it runs, and says how it ended', () => {
    expect(removalProgressText({ status: 'running', removed: 0, total: 1 })).toBe('Removed 0 of 1 message…');
    expect(removalProgressText({ status: 'running', removed: 1200, total: 4000 })).toBe('Removed 1,200 of 4,000 messages…');
    expect(removalProgressText({ status: 'done', removed: 40, total: 40 })).toBe('Done: 40 messages removed.');
    expect(removalProgressText({ status: 'done', removed: 1, total: 1 })).toBe('Done: 1 message removed.');
    expect(removalProgressText({ status: 'done', removed: 0, total: 0 })).toBe('Done: there were no messages to remove.');
    expect(removalProgressText({ status: 'failed', removed: 12, total: 40, error: 'the database was unavailable' })).toBe('Failed after removing 12 of 40 messages. The database was unavailable.');
    expect(removalProgressText({ status: 'failed', removed: 0, total: 3 })).toBe('Failed after removing 0 of 3 messages.');
  });
});

describe('pollRemoval', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** A job that answers these states in turn, the last one again. */
  const job = (...states: RemovalProgress[]) => {
    let reads = 0;
    return { get: vi.fn(async () => states[Math.min(reads++, states.length - 1)]!), reads: () => reads };
  };

  it('reads the job every second until it is done, then stops', async () => {
    const { get } = job({ status: 'running', removed: 10, total: 30 }, { status: 'running', removed: 20, total: 30 }, { status: 'done', removed: 30, total: 30 });
    const seen: string[] = [];
    pollRemoval({ get, onUpdate: (r) => seen.push(`${r.status} ${r.removed}`), onError: () => {} });
    await vi.advanceTimersByTimeAsync(999);
    expect(get).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(seen).toEqual(['running 10']);
    await vi.advanceTimersByTimeAsync(5000);
    expect(seen).toEqual(['running 10', 'running 20', 'done 30']);
    expect(get).toHaveBeenCalledTimes(3);
  });

  it('stops at a failure too', async () => {
    const { get } = job({ status: 'failed', removed: 5, total: 30, error: 'stopped' });
    const onUpdate = vi.fn();
    pollRemoval({ get, onUpdate, onError: () => {} });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(get).toHaveBeenCalledTimes(1);
    expect(onUpdate).toHaveBeenCalledWith({ status: 'failed', removed: 5, total: 30, error: 'stopped' });
  });

  it('goes on after a read that failed: the job runs on the server regardless', async () => {
    const get = vi.fn<() => Promise<RemovalProgress>>().mockRejectedValueOnce(new Error('offline')).mockResolvedValue({ status: 'done', removed: 2, total: 2 });
    const onError = vi.fn();
    const onUpdate = vi.fn();
    pollRemoval({ get, onUpdate, onError });
    await vi.advanceTimersByTimeAsync(1000);
    expect(onError).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(onUpdate).toHaveBeenCalledWith({ status: 'done', removed: 2, total: 2 });
  });

  it('reads nothing more once stopped (the dialog closed), not even an answer on its way', async () => {
    let answer: (r: RemovalProgress) => void = () => {};
    const get = vi.fn(() => new Promise<RemovalProgress>((resolve) => (answer = resolve)));
    const onUpdate = vi.fn();
    const stop = pollRemoval({ get, onUpdate, onError: () => {} });
    await vi.advanceTimersByTimeAsync(1000);
    stop();
    answer({ status: 'running', removed: 1, total: 2 });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(onUpdate).not.toHaveBeenCalled();
    expect(get).toHaveBeenCalledTimes(1);
  });
});

describe('the export file', () => {
  it('is named after the account and holds the document as indented JSON', () => {
    expect(exportFileName('alice')).toBe('pneumatic-export-alice.json');
    expect(exportFileName('j.doe-2_x')).toBe('pneumatic-export-j.doe-2_x.json');
    expect(exportFileName('a/b')).toBe('pneumatic-export-a_b.json');
    const data = { format: 'pneumatic-user-export', version: 1, messages: [{ content: 'hi' }] };
    const text = exportFileText(data);
    expect(JSON.parse(text)).toEqual(data);
    expect(text).toContain('\n  "version": 1,');
    expect(text.endsWith('}\n')).toBe(true);
  });
});
