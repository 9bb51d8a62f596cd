/**
 * The thread panel: which thread is open (one at a time, beside its conversation), each thread's
 * root and replies as the SDK's state holds them (loaded with `GET /messages/{id}/thread`, then
 * live), and your read position in it, moved when the panel shows new replies; and each
 * followed thread's unread replies, seeded by `GET /threads` and then counted live.
 */
import type { Message, Session } from '@pneumatic/client';
import { Atom, sameItems, type Readable } from './atom.js';
import { KeyedAtoms } from './keyed-atoms.js';
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
const sameView = (a: ThreadView, b: ThreadView) => a.root === b.root && sameItems(a.replies, b.replies) && a.loading === b.loading && a.error === b.error;

export class ThreadsStore {
  /** The thread shown in the panel, or null. */
  readonly panel = new Atom<OpenThread | null>(null, (a, b) => a?.rootId === b?.rootId && a?.conversationId === b?.conversationId);
  private readonly views = new KeyedAtoms<ThreadView>((key) => this.compute(key), sameView);
  /** Keyed as views: the thread's unread replies by others, 0 when not followed. */
  private readonly unreads = new KeyedAtoms<number>((key) => this.computeUnread(key));
  /** root id → the last `GET /threads` answer about it. */
  private listed = new Map<string, ListedThread>();
  private listing: Promise<void> | null = null;
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

  /** Seeds read positions and unread counts from `GET /threads` (one request at a time). */
  refreshFollowed(): Promise<void> {
    const session = this.session();
    if (!session || this.listing) return this.listing ?? Promise.resolve();
    this.listing = session.threads
      .list({ limit: 200 })
      .then((threads) => {
        if (this.session() !== session) return;
        this.listed = new Map(threads.map((t) => [t.root.message_id, listedThread(t)]));
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
    this.views.invalidateWhere((key) => key.startsWith(`${conversationId} `));
    this.unreads.invalidateWhere((key) => key.startsWith(`${conversationId} `));
  }

  /** A new session: its state starts empty, so the open thread loads again. */
  reset(): void {
    this.status.clear();
    this.readRequested.clear();
    this.listed.clear();
    this.views.invalidateAll();
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
