/**
 * One conversation's history as the screen shows it: the messages of the SDK's window (the only
 * copy), the sends the SDK's outbox has not had acknowledged yet, the ones that failed (kept
 * for Retry / Discard), and how far back history has been loaded. One atom per conversation.
 */
import type { Message, Outbox, OutboxEntry, Session } from '@pneumatic/client';
import type { Readable } from './atom.js';
import { KeyedAtoms } from './keyed-atoms.js';

export interface PendingSend {
  message_id: string;
  conversation_id: string;
  content: string;
  created_at: number;
  status: 'sending' | 'failed';
  error: string | null;
  /** A send quoting a message, or posted in a thread (the outbox entry's reply fields). */
  reply_to_id?: string;
  thread_root_id?: string;
}

export interface MessagesView {
  /** Ascending by seq: the conversation's own messages (thread replies show in their thread). */
  messages: readonly Message[];
  /** The latest seq held, thread replies included (reading the conversation reads them too). */
  latestSeq: number;
  /** Not yet acknowledged (oldest first), then failed. */
  pending: readonly PendingSend[];
  /** The latest page has been fetched. */
  loaded: boolean;
  /** Older messages may exist before the oldest one here. */
  hasMore: boolean;
  loading: boolean;
}

interface Paging {
  loaded: boolean;
  hasMore: boolean;
  loading: boolean;
}

const PAGE_SIZE = 50;
const NO_MESSAGES: readonly Message[] = [];
const FRESH: Paging = { loaded: false, hasMore: true, loading: false };

const samePending = (a: PendingSend, b: PendingSend) => a.message_id === b.message_id && a.status === b.status && a.error === b.error;
const sameView = (a: MessagesView, b: MessagesView) =>
  a.messages === b.messages &&
  a.latestSeq === b.latestSeq &&
  a.loaded === b.loaded &&
  a.hasMore === b.hasMore &&
  a.loading === b.loading &&
  a.pending.length === b.pending.length &&
  a.pending.every((p, i) => samePending(p, b.pending[i]!));

export class MessagesStore {
  private readonly views = new KeyedAtoms<MessagesView>((id) => this.compute(id), sameView);
  private readonly paging = new Map<string, Paging>();
  private readonly failed = new Map<string, PendingSend>();
  /** Acknowledged sends, hidden from the pending ones even while the outbox still lists them. */
  private readonly acknowledged = new Set<string>();
  /** The SDK's window → its messages without thread replies, so an unchanged window keeps its array. */
  private readonly topLevel = new WeakMap<readonly Message[], readonly Message[]>();

  constructor(
    private readonly session: () => Session | null,
    private readonly outbox: Outbox,
  ) {}

  of(conversationId: string): Readable<MessagesView> {
    return this.views.of(conversationId);
  }

  /** The SDK's window, or the outbox, changed for this conversation. */
  changed(conversationId: string): void {
    this.views.invalidate(conversationId);
  }

  /** A new session starts with empty windows: history loads again. */
  reset(): void {
    this.paging.clear();
    this.views.invalidateAll();
  }

  /**
   * The SDK replaced the conversation's window with a snapshot of its latest messages (its
   * position had expired): history before them loads again on scrolling back.
   */
  conversationReset(conversationId: string): void {
    const paging = this.paging.get(conversationId);
    if (paging?.loaded) this.setPaging(conversationId, { ...paging, hasMore: true });
    else this.changed(conversationId);
  }

  /** Fetches the latest page the first time a conversation is shown. */
  async open(conversationId: string): Promise<void> {
    const paging = this.paging.get(conversationId) ?? FRESH;
    if (!paging.loaded && !paging.loading) await this.loadPage(conversationId);
  }

  /** Fetches the page before the oldest message held (scrolling back). */
  async loadOlder(conversationId: string): Promise<void> {
    const paging = this.paging.get(conversationId) ?? FRESH;
    if (paging.loaded && paging.hasMore && !paging.loading) await this.loadPage(conversationId);
  }

  acknowledge(message: Message): void {
    this.acknowledged.add(message.message_id);
    this.failed.delete(message.message_id);
    this.changed(message.conversation_id);
  }

  fail(entry: OutboxEntry, error: string): void {
    if (this.acknowledged.has(entry.message_id)) return;
    this.failed.set(entry.message_id, { ...entry, status: 'failed', error });
    this.changed(entry.conversation_id);
  }

  /** A failed send, forgotten (Discard) or about to be tried again (Retry); returns it. */
  takeFailed(messageId: string): PendingSend | undefined {
    const pending = this.failed.get(messageId);
    if (!pending) return undefined;
    this.failed.delete(messageId);
    this.changed(pending.conversation_id);
    return pending;
  }

  private async loadPage(conversationId: string): Promise<void> {
    const session = this.session();
    if (!session) throw new Error('Not connected.');
    const before = this.paging.get(conversationId) ?? FRESH;
    this.setPaging(conversationId, { ...before, loading: true });
    try {
      const page = await session.loadHistory(conversationId, PAGE_SIZE);
      if (session !== this.session()) return;
      this.setPaging(conversationId, { loaded: true, hasMore: page.length === PAGE_SIZE, loading: false });
    } catch (error) {
      this.setPaging(conversationId, { ...before, loading: false });
      throw error;
    }
  }

  private setPaging(conversationId: string, paging: Paging): void {
    this.paging.set(conversationId, paging);
    this.changed(conversationId);
  }

  private compute(conversationId: string): MessagesView {
    const all = this.session()?.state.messages(conversationId) ?? NO_MESSAGES;
    let messages = this.topLevel.get(all);
    if (!messages) this.topLevel.set(all, (messages = all.filter((m) => !m.thread_root_id)));
    const shown = new Set(all.map((m) => m.message_id));
    const sending = this.outbox
      .pending()
      .filter((e) => e.conversation_id === conversationId && !shown.has(e.message_id) && !this.acknowledged.has(e.message_id) && !this.failed.has(e.message_id))
      .map((e): PendingSend => ({ ...e, status: 'sending', error: null }));
    const failed = [...this.failed.values()].filter((p) => p.conversation_id === conversationId && !shown.has(p.message_id));
    return { messages, latestSeq: all.at(-1)?.seq ?? 0, pending: [...sending, ...failed], ...(this.paging.get(conversationId) ?? FRESH) };
  }
}
