/**
 * The thread panel: which thread is open (one at a time, beside its conversation), each thread's
 * root and replies as the SDK's state holds them (loaded with `GET /messages/{id}/thread`, then
 * live), and your read position in it, moved when the panel shows new replies; whether you
 * follow each thread (follow and unfollow from here); and each followed thread's unread
 * replies, seeded by `GET /threads` and then counted live.
 */
import type { Message, Session } from '@pneumatic/client';
import { Atom, sameItems, type Readable } from './atom.js';
import { KeyedAtoms } from './keyed-atoms.js';
import { threadFollowed, type FollowList } from './thread-follow.js';
import { listedThread, threadUnread, type ListedThread } from './thread-unread.js';

export interface OpenThread {
  conversationId: string;
  rootId: string;
}

export interface ThreadView {
  root: Message | undefined;
  /** Ascending by seq, deleted ones included. */
  replies: readonly Message[];
  loading: boolean;
  error: string | null;
}

interface Status {
  loading: boolean;
  error: string | null;
}

const IDLE: Status = { loading: false, error: null };
/** Threads asked of `GET /threads` at once (its most). */
const LIST_LIMIT = 200;
const sameView = (a: ThreadView, b: ThreadView) => a.root === b.root && sameItems(a.replies, b.replies) && a.loading === b.loading && a.error === b.error;

export class ThreadsStore {
  /** The thread shown in the panel, or null. */
  readonly panel = new Atom<OpenThread | null>(null, (a, b) => a?.rootId === b?.rootId && a?.conversationId === b?.conversationId);
  private readonly views = new KeyedAtoms<ThreadView>((key) => this.compute(key), sameView);
  /** Keyed as views: the thread's unread replies by others, 0 when not followed. */
  private readonly unreads = new KeyedAtoms<number>((key) => this.computeUnread(key));
  /** Keyed as views: whether you follow the thread. */
  private readonly follows = new KeyedAtoms<boolean>((key) => this.computeFollowed(key));
  /** root id → the last `GET /threads` answer about it. */
  private listed = new Map<string, ListedThread>();
  /** What that answer says about the threads it left out; null before the first answer. */
  private list: FollowList | null = null;
  private listing: Promise<void> | null = null;
  /**
   * root id → this device's own choice: follow (true), unfollow (false), a reply posted here
   * (true). It wins over the list and is kept through refreshes: an answer that was on its way
   * when you chose may not know it yet.
   */
  private readonly decisions = new Map<string, boolean>();
  /** root id → the latest follow or unfollow asked for: only its failure is undone. */
  private readonly followAttempts = new Map<string, number>();
  private readonly status = new Map<string, Status>();
  private readonly readRequested = new Map<string, number>();
  /** What had focus when the panel opened: it gets focus back when the panel closes. */
  private opener: HTMLElement | null = null;

  constructor(private readonly session: () => Session | null) {}

  of(conversationId: string, rootId: string): Readable<ThreadView> {
    return this.views.of(`${conversationId} ${rootId}`);
  }

  /** The thread's unread replies by others (0 when you do not follow it). */
  unread(conversationId: string, rootId: string): Readable<number> {
    return this.unreads.of(`${conversationId} ${rootId}`);
  }

  /** Whether you follow the thread (yours, or one you replied in, unless you unfollowed it). */
  followed(conversationId: string, rootId: string): Readable<boolean> {
    return this.follows.of(`${conversationId} ${rootId}`);
  }

  /** Follows or unfollows the thread: shown at once, undone (and rejected) if the server refuses. */
  async setFollowed(conversationId: string, rootId: string, follow: boolean): Promise<void> {
    const session = this.session();
    if (!session) throw new Error('Not connected yet. Try again in a moment.');
    const previous = this.decisions.get(rootId);
    const attempt = (this.followAttempts.get(rootId) ?? 0) + 1;
    this.followAttempts.set(rootId, attempt);
    this.decide(conversationId, rootId, follow);
    try {
      await (follow ? session.threads.follow(rootId) : session.threads.unfollow(rootId));
    } catch (error) {
      if (this.followAttempts.get(rootId) === attempt) this.decide(conversationId, rootId, previous);
      throw error;
    }
  }

  /** You posted in the thread: the server follows it for you (again, after an unfollow). */
  posted(conversationId: string, rootId: string): void {
    this.decide(conversationId, rootId, true);
  }

  /** Seeds read positions, unread counts and follows from `GET /threads` (one request at a time). */
  refreshFollowed(): Promise<void> {
    const session = this.session();
    if (!session || this.listing) return this.listing ?? Promise.resolve();
    // Taken before asking: whatever came after it may be newer than the answer.
    const sinceSeqs = lastSeqs(session);
    this.listing = session.threads
      .list({ limit: LIST_LIMIT })
      .then((threads) => {
        if (this.session() !== session) return;
        this.listed = new Map(threads.map((t) => [t.root.message_id, listedThread(t)]));
        this.list = { complete: threads.length < LIST_LIMIT, sinceSeq: (id) => sinceSeqs.get(id) ?? 0 };
        this.follows.invalidateAll();
        this.unreads.invalidateAll();
      })
      .catch(() => undefined) // offline: the live counts stand until the next refresh
      .finally(() => (this.listing = null));
    return this.listing;
  }

  /** Shows a thread in the panel and loads its latest replies. */
  open(conversationId: string, rootId: string): void {
    this.opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    this.panel.set({ conversationId, rootId });
    void this.load(conversationId, rootId);
  }

  close(): void {
    const opener = this.opener;
    this.panel.set(null);
    this.opener = null;
    // The opener may have re-rendered away (its message scrolled out): fall back to the composer.
    requestAnimationFrame(() => (opener?.isConnected ? opener : document.getElementById('composer-input'))?.focus());
  }

  /** The SDK's messages or threads of a conversation changed. */
  changed(conversationId: string): void {
    const inConversation = (key: string) => key.startsWith(`${conversationId} `);
    this.views.invalidateWhere(inConversation);
    this.follows.invalidateWhere(inConversation);
    this.unreads.invalidateWhere(inConversation);
  }

  /** A new session: its state starts empty, so the open thread loads again (your own follow choices stand). */
  reset(): void {
    this.status.clear();
    this.readRequested.clear();
    this.listed.clear();
    this.list = null;
    this.views.invalidateAll();
    this.follows.invalidateAll();
    this.unreads.invalidateAll();
    const open = this.panel.get();
    if (open) void this.load(open.conversationId, open.rootId);
  }

  /** A message held locally (the quoted one of a reply), or undefined when it is not loaded. */
  find(conversationId: string, messageId: string): Message | undefined {
    const state = this.session()?.state;
    return state?.messages(conversationId).find((m) => m.message_id === messageId) ?? state?.threadRoot(conversationId, messageId);
  }

  /** Marks the thread read up to `seq` (the last reply shown), once per seq. */
  markRead(rootId: string, seq: number): void {
    const session = this.session();
    if (!session || seq <= Math.max(session.state.threadReadSeq(rootId), this.readRequested.get(rootId) ?? 0)) return;
    this.readRequested.set(rootId, seq);
    session.threads.markRead(rootId, seq).catch(() => this.readRequested.delete(rootId));
  }

  private async load(conversationId: string, rootId: string): Promise<void> {
    const session = this.session();
    if (!session) return;
    const key = `${conversationId} ${rootId}`;
    this.setStatus(key, { loading: true, error: null });
    try {
      await session.threads.load(rootId, { limit: 200 });
      this.setStatus(key, IDLE);
    } catch {
      this.setStatus(key, { loading: false, error: 'Could not load the thread. It will load once the connection is back.' });
    }
  }

  private setStatus(key: string, status: Status): void {
    this.status.set(key, status);
    this.views.invalidate(key);
  }

  private decide(conversationId: string, rootId: string, follow: boolean | undefined): void {
    if (follow === undefined) this.decisions.delete(rootId);
    else this.decisions.set(rootId, follow);
    const key = `${conversationId} ${rootId}`;
    this.follows.invalidate(key);
    this.unreads.invalidate(key);
  }

  private computeFollowed(key: string): boolean {
    const [conversationId = '', rootId = ''] = key.split(' ');
    const session = this.session();
    if (!session) return this.decisions.get(rootId) ?? false;
    const { state } = session;
    return threadFollowed({
      conversationId,
      root: state.threadRoot(conversationId, rootId),
      replies: state.threadReplies(conversationId, rootId),
      selfId: session.userId,
      decision: this.decisions.get(rootId),
      listed: this.listed.has(rootId),
      list: this.list,
    });
  }

  private computeUnread(key: string): number {
    const [conversationId = '', rootId = ''] = key.split(' ');
    const session = this.session();
    if (!session) return 0;
    const { state } = session;
    return threadUnread({
      root: state.threadRoot(conversationId, rootId),
      replies: state.threadReplies(conversationId, rootId),
      readSeq: state.threadReadSeq(rootId),
      selfId: session.userId,
      followed: this.computeFollowed(key),
      listed: this.listed.get(rootId),
    });
  }

  private compute(key: string): ThreadView {
    const [conversationId = '', rootId = ''] = key.split(' ');
    const state = this.session()?.state;
    const status = this.status.get(key) ?? IDLE;
    return { root: state?.threadRoot(conversationId, rootId), replies: state?.threadReplies(conversationId, rootId) ?? [], ...status };
  }
}

/** Each conversation's last seq this device has seen (its summary's, or a later message's). */
function lastSeqs(session: Session): Map<string, number> {
  const { state } = session;
  return new Map(state.conversations().map((c) => [c.id, Math.max(c.last_seq, state.messages(c.id).at(-1)?.seq ?? 0)]));
}
