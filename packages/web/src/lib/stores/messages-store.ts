/**
 * One conversation's history as the screen shows it: the messages of the SDK's window (the only
 * copy), the sends the SDK's outbox has not had acknowledged yet, the ones that failed (kept
 * for Retry / Discard), how far back history has been loaded, the holes left by a jump to a
 * message (a search result: the page around it, history-gaps.ts), the message jumped to, and
 * whether the history starts where retention deleted the older messages (retention-text.ts).
 * One atom per conversation.
 */
import type { Message, Outbox, OutboxEntry, RestApi, Session } from '@pneumatic/client';
import { historyStartsAfterExpiry } from '../retention-text.js';
import type { Readable } from './atom.js';
import { holesIn } from './history-gaps.js';
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
  /** Upload ids attached (the outbox entry's), resent with it on Retry. */
  attachments?: string[];
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
  /** Held seqs after which newer messages are not loaded yet (after a jump), ascending. */
  gaps: readonly number[];
  /** The message jumped to: shown highlighted and scrolled to (again for each new `nonce`). */
  target: JumpTarget | null;
  /** The history starts right after messages retention deleted: there is nothing older to load. */
  expired: boolean;
}

export interface JumpTarget {
  seq: number;
  nonce: number;
}

interface Paging {
  loaded: boolean;
  hasMore: boolean;
  loading: boolean;
}

const PAGE_SIZE = 50;
const NO_MESSAGES: readonly Message[] = [];
const NO_GAPS: readonly number[] = [];
const FRESH: Paging = { loaded: false, hasMore: true, loading: false };

const samePending = (a: PendingSend, b: PendingSend) => a.message_id === b.message_id && a.status === b.status && a.error === b.error;
const sameView = (a: MessagesView, b: MessagesView) =>
  a.messages === b.messages &&
  a.latestSeq === b.latestSeq &&
  a.loaded === b.loaded &&
  a.hasMore === b.hasMore &&
  a.loading === b.loading &&
  a.target === b.target &&
  a.expired === b.expired &&
  a.gaps.length === b.gaps.length &&
  a.gaps.every((gap, i) => gap === b.gaps[i]) &&
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
  private readonly targets = new Map<string, JumpTarget>();
  /** "conversation seq": holes a page after them showed to be none (nothing newer was missing there). */
  private readonly noHoleAfter = new Set<string>();
  /** Per conversation: every message at or below this seq was deleted by retention (`messages.expired`). */
  private readonly expiredThrough = new Map<string, number>();
  /** The SDK's window → its messages past the expired ones, so an unchanged window keeps its array. */
  private readonly unexpired = new WeakMap<readonly Message[], { through: number; kept: readonly Message[] }>();
  private nonce = 0;

  constructor(
    private readonly session: () => Session | null,
    private readonly outbox: Outbox,
    private readonly api?: Pick<RestApi, 'listMessages'>,
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
    this.noHoleAfter.clear();
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

  /** Retention deleted every message of the conversation at or below `throughSeq`: none of them shows again. */
  expired(conversationId: string, throughSeq: number): void {
    if (throughSeq <= (this.expiredThrough.get(conversationId) ?? 0)) return;
    this.expiredThrough.set(conversationId, throughSeq);
    this.changed(conversationId);
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

  /**
   * Shows a message in its conversation: held already, it is only scrolled to; else the page
   * around it is loaded (GET /conversations/{id}/messages?around=SEQ) into the SDK's window,
   * with the latest page too when nothing newer is held, so the holes between them show as gaps.
   */
  async jump(conversationId: string, seq: number): Promise<void> {
    const session = this.session();
    if (!session || !this.api) throw new Error('Not connected.');
    if (session.state.messages(conversationId).some((m) => m.seq === seq)) {
      // Held already (e.g. the latest messages of a sync): shown as they are, "Load older" above them.
      if (!this.paging.get(conversationId)?.loaded) this.paging.set(conversationId, { loaded: true, loading: false, hasMore: true });
    } else if (!(await this.loadAround(session, conversationId, seq))) {
      return;
    }
    this.targets.set(conversationId, { seq, nonce: ++this.nonce });
    this.changed(conversationId);
  }

  /** Loads the page around `seq`, and the latest page when nothing newer is held; false when the session changed meanwhile. */
  private async loadAround(session: Session, conversationId: string, seq: number): Promise<boolean> {
    const held = () => session.state.messages(conversationId);
    const oldest = held()[0]?.seq;
    const page = await this.api!.listMessages(conversationId, { around: seq, limit: PAGE_SIZE });
    if (session !== this.session()) return false;
    session.state.applyHistory(page.messages, page.my_reactions ?? {});
    const last = page.messages.at(-1)?.seq ?? 0;
    if (page.has_more_after && !held().some((m) => m.seq > last)) {
      const latest = await this.api!.listMessages(conversationId, { limit: PAGE_SIZE });
      if (session !== this.session()) return false;
      session.state.applyHistory(latest.messages, latest.my_reactions ?? {});
    }
    // "Load older" continues from this page when it is the oldest held.
    const first = page.messages[0]?.seq;
    const isOldest = oldest === undefined || (first !== undefined && first < oldest);
    const hasMore = isOldest ? page.has_more_before : (this.paging.get(conversationId)?.hasMore ?? true);
    this.paging.set(conversationId, { loaded: true, loading: false, hasMore });
    return true;
  }

  /** Fills a gap: the page after `seq` (a held seq followed by a hole). */
  async loadNewer(conversationId: string, seq: number): Promise<void> {
    const session = this.session();
    if (!session || !this.api) throw new Error('Not connected.');
    const page = await this.api.listMessages(conversationId, { after: seq, limit: PAGE_SIZE });
    if (session !== this.session()) return;
    // The next seq already held (or none at all): the hole was not one; show no gap there again.
    if (page.messages[0]?.seq !== seq + 1 || session.state.messages(conversationId).some((m) => m.seq === seq + 1)) this.noHoleAfter.add(`${conversationId} ${seq}`);
    session.state.applyHistory(page.messages, page.my_reactions ?? {});
    this.changed(conversationId);
  }

  /** The conversation is no longer shown: its message loses the highlight. */
  clearTarget(conversationId: string): void {
    if (this.targets.delete(conversationId)) this.changed(conversationId);
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

  /** The latest expiry known: announced (`messages.expired`), or on the conversation as the server sent it. */
  private expiredThroughSeq(conversationId: string): number {
    const announced = this.expiredThrough.get(conversationId) ?? 0;
    return Math.max(announced, this.session()?.state.conversation(conversationId)?.expired_through_seq ?? 0);
  }

  /** `held` without the messages retention deleted (the SDK drops them too; a page loaded meanwhile may still bring one). */
  private withoutExpired(held: readonly Message[], through: number): readonly Message[] {
    if (through === 0 || (held[0]?.seq ?? Infinity) > through) return held;
    const cached = this.unexpired.get(held);
    if (cached?.through === through) return cached.kept;
    const kept = held.filter((m) => m.seq > through);
    this.unexpired.set(held, { through, kept });
    return kept;
  }

  private compute(conversationId: string): MessagesView {
    const through = this.expiredThroughSeq(conversationId);
    const all = this.withoutExpired(this.session()?.state.messages(conversationId) ?? NO_MESSAGES, through);
    let messages = this.topLevel.get(all);
    if (!messages) this.topLevel.set(all, (messages = all.filter((m) => !m.thread_root_id)));
    const shown = new Set(all.map((m) => m.message_id));
    const sending = this.outbox
      .pending()
      .filter((e) => e.conversation_id === conversationId && !shown.has(e.message_id) && !this.acknowledged.has(e.message_id) && !this.failed.has(e.message_id))
      .map((e): PendingSend => ({ ...e, status: 'sending', error: null }));
    const failed = [...this.failed.values()].filter((p) => p.conversation_id === conversationId && !shown.has(p.message_id));
    const holes = holesIn(all).filter((seq) => !this.noHoleAfter.has(`${conversationId} ${seq}`));
    const paging = this.paging.get(conversationId) ?? FRESH;
    return {
      messages,
      latestSeq: all.at(-1)?.seq ?? 0,
      pending: [...sending, ...failed],
      ...paging,
      gaps: holes.length === 0 ? NO_GAPS : holes,
      target: this.targets.get(conversationId) ?? null,
      expired: historyStartsAfterExpiry(all[0]?.seq, paging, through),
    };
  }
}
