/**
 * Removing a user's messages (docs/API.md, "Moderation"): an admin starts a background job for
 * all of them or those of a time window (`POST /admin/users/{id}/message-removals`), then follows
 * its progress (`GET /admin/message-removals/{id}`) until it is done or failed. The window as the
 * form takes it, the progress in words, and the polling, as plain functions tested without a browser.
 */

/** What the dialog reads of a removal job (the SDK's MessageRemoval has these and more). */
export interface RemovalProgress {
  status: 'running' | 'done' | 'failed';
  removed: number;
  total: number;
  error?: string | null;
}

/** The body of the start request: bounds left out are open. */
export interface RemovalWindow {
  from?: string;
  to?: string;
}

export interface RemovalWindowResult {
  window: RemovalWindow;
  /** Per field (`from`, `to`), shown under it; none when the window can be sent. */
  problems: { from?: string; to?: string };
}

/**
 * The window from two `datetime-local` values ("2026-12-02T10:00", the browser's local time, or
 * "" for an open bound) as ISO 8601 instants; `to` must come after `from`.
 */
export function removalWindow(fromText: string, toText: string): RemovalWindowResult {
  const window: RemovalWindow = {};
  const problems: RemovalWindowResult['problems'] = {};
  const from = instant(fromText);
  const to = instant(toText);
  if (from === null) problems.from = 'Enter a date and time, or leave it empty.';
  else if (from !== undefined) window.from = from.toISOString();
  if (to === null) problems.to = 'Enter a date and time, or leave it empty.';
  else if (to !== undefined) window.to = to.toISOString();
  if (from && to && to.getTime() <= from.getTime()) problems.to = 'Pick a time after “From”.';
  return { window, problems };
}

/** undefined for an empty value, null for one that is not a time. */
function instant(text: string): Date | null | undefined {
  if (text.trim() === '') return undefined;
  const date = new Date(text.trim());
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Which messages a window covers, in words: "all their messages", "their messages sent after …". */
export function removalWindowText(window: RemovalWindow, formatTime: (iso: string) => string): string {
  if (window.from && window.to) return `their messages sent between ${formatTime(window.from)} and ${formatTime(window.to)}`;
  if (window.from) return `their messages sent after ${formatTime(window.from)}`;
  if (window.to) return `their messages sent before ${formatTime(window.to)}`;
  return 'all their messages';
}

function messagesText(count: number): string {
  return count === 1 ? '1 message' : `${count.toLocaleString('en')} messages`;
}

/** The job's state in words: "Removed 12 of 40 messages…", "Done: 40 messages removed.", "Failed after …". */
export function removalProgressText(removal: RemovalProgress): string {
  const { removed, total } = removal;
  if (removal.status === 'running') return `Removed ${removed.toLocaleString('en')} of ${messagesText(total)}…`;
  if (removal.status === 'done') return removed === 0 ? 'Done: there were no messages to remove.' : `Done: ${messagesText(removed)} removed.`;
  const why = removal.error ? ` ${sentence(removal.error)}` : '';
  return `Failed after removing ${removed.toLocaleString('en')} of ${messagesText(total)}.${why}`;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const first = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

export interface PollOptions<T extends RemovalProgress> {
  /** Reads the job again (the SDK's getMessageRemoval). */
  get: () => Promise<T>;
  /** Each answer, the last one done or failed. */
  onUpdate: (removal: T) => void;
  /** A read that failed: polling goes on (the job runs on the server regardless). */
  onError: (error: unknown) => void;
  intervalMs?: number;
}

/**
 * Reads the job every `intervalMs` (1 s) until it is no longer running; returns a stop for when
 * the dialog closes first. One read at a time: the next is planned once the previous one answered.
 */
export function pollRemoval<T extends RemovalProgress>({ get, onUpdate, onError, intervalMs = 1000 }: PollOptions<T>): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const next = () => {
    if (!stopped) timer = setTimeout(tick, intervalMs);
  };
  const tick = () => {
    get().then(
      (removal) => {
        if (stopped) return;
        onUpdate(removal);
        if (removal.status === 'running') next();
      },
      (error: unknown) => {
        if (stopped) return;
        onError(error);
        next();
      },
    );
  };
  next();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
