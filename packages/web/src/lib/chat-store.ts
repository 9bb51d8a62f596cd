/**
 * The app's view of one logged-in user: conversations with their last message, message logs,
 * sends in flight, and the connection state, fed by the SDK session's events. Components
 * subscribe and re-render on every change.
 */
import type { Conversation, ConversationSummary, Message, PneumaticClient, Session, SessionState, User } from '@pneumatic/client';
import { PneumaticError } from '@pneumatic/client';
import { errorText } from './errors.js';
import { MessageLog } from './message-log.js';

export interface ConversationEntry {
  conversation: Conversation;
  lastMessage: Message | null;
  /** Latest activity (last message or creation), for sorting. */
  activityAt: string;
}

export interface PendingSend {
  message_id: string;
  conversation_id: string;
  content: string;
  created_at: number;
  status: 'sending' | 'failed';
  error: string | null;
}

/** A send that gets no acknowledgement within this long shows as failed, with a retry. */
const SEND_TIMEOUT_MS = 20_000;
const TYPING_THROTTLE_MS = 2_500;
const PAGE_SIZE = 50;
/** Close code of a revoked token (logout elsewhere). */
const SESSION_REVOKED = 4401;

export class ChatStore {
  readonly me: User;
  connection: SessionState = 'connecting';
  /** Set once the connection was lost, so that "syncing" reads as "catching up". */
  wasDisconnected = false;
  session: Session | null = null;
  private readonly entries = new Map<string, ConversationEntry>();
  private readonly logs = new Map<string, MessageLog>();
  private readonly pendingSends = new Map<string, PendingSend>();
  private readonly listeners = new Set<() => void>();
  private readonly typingSentAt = new Map<string, number>();
  private readonly readRequested = new Map<string, number>();
  /** Every username seen, so that messages of former members keep a name. */
  private readonly names = new Map<string, string>();
  private readonly disposers: Array<() => void> = [];
  private stopped = false;

  constructor(
    readonly client: PneumaticClient,
    private readonly onSignedOut: () => void,
  ) {
    if (!client.user) throw new Error('ChatStore needs a logged-in client');
    this.me = client.user;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Loads the conversation list and opens the live session. */
  async start(): Promise<void> {
    const { outbox } = this.client;
    this.disposers.push(
      outbox.on('sent', ({ message }) => this.addMessage(message)),
      outbox.on('failed', ({ entry, error }) => this.markFailed(entry.message_id, error)),
    );
    const onOnline = () => this.session?.reconnect();
    // The browser knows the network is gone before a heartbeat would: drop the socket and retry.
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOnline);
    this.disposers.push(() => {
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOnline);
    });
    void this.refreshConversations().catch((error: unknown) => this.handleAuthFailure(error));
    await this.connect();
  }

  stop(): void {
    this.stopped = true;
    for (const dispose of this.disposers.splice(0)) dispose();
    this.client.close();
    this.listeners.clear();
  }

  async logout(): Promise<void> {
    this.stop();
    await this.client.logout().catch(() => undefined);
  }

  /** Opens a new session after the previous one closed for good. */
  async connect(): Promise<void> {
    this.connection = 'connecting';
    this.notify();
    let session: Session;
    try {
      session = await this.client.connect({ backoff: { initialDelayMs: 250, maxDelayMs: 5000 } });
    } catch (error) {
      if (this.stopped) return;
      this.connection = 'closed';
      this.notify();
      return this.handleAuthFailure(error);
    }
    if (this.stopped) return session.close();
    this.session = session;
    this.connection = session.connectionState;
    this.disposers.push(
      session.on('message', (message) => this.addMessage(message)),
      session.on('message.updated', (message) => this.updateMessage(message)),
      session.on('read', () => this.notify()),
      session.on('typing', () => this.notify()),
      session.on('typing.stopped', () => this.notify()),
      session.on('member.added', ({ conversation }) => this.upsertConversation(conversation)),
      session.on('member.removed', ({ conversation_id, user_id }) => this.memberRemoved(conversation_id, user_id)),
      session.on('state', (change) => this.onState(change.state, change.code)),
    );
    for (const entry of this.client.outbox.pending()) {
      if (!this.pendingSends.has(entry.message_id)) this.pendingSends.set(entry.message_id, { ...entry, status: 'sending', error: null });
    }
    this.notify();
  }

  // Reading.

  conversations(): ConversationEntry[] {
    return [...this.entries.values()].sort((a, b) => b.activityAt.localeCompare(a.activityAt));
  }

  conversation(id: string): ConversationEntry | undefined {
    return this.entries.get(id);
  }

  messages(conversationId: string): readonly Message[] {
    return this.logs.get(conversationId)?.messages() ?? [];
  }

  log(conversationId: string): MessageLog {
    let log = this.logs.get(conversationId);
    if (!log) this.logs.set(conversationId, (log = new MessageLog()));
    return log;
  }

  /** Sends not yet acknowledged in this conversation, oldest first. */
  pending(conversationId: string): PendingSend[] {
    return [...this.pendingSends.values()].filter((p) => p.conversation_id === conversationId && !this.logs.get(conversationId)?.has(p.message_id));
  }

  unreadCount(conversationId: string): number {
    return this.session?.state.unreadCount(conversationId) ?? 0;
  }

  username(conversationId: string, userId: string): string {
    if (userId === this.me.id) return this.me.username;
    return this.entries.get(conversationId)?.conversation.members.find((m) => m.user_id === userId)?.username ?? this.names.get(userId) ?? 'Someone';
  }

  typingNames(conversationId: string): string[] {
    return (this.session?.state.typingUsers(conversationId) ?? []).map((id) => this.username(conversationId, id));
  }

  /** Other members (not the sender) whose read position has reached the message. */
  seenBy(message: Message): string[] {
    const positions = this.session?.state.readPositions(message.conversation_id) ?? new Map<string, number>();
    return [...positions]
      .filter(([userId, seq]) => userId !== message.sender_id && seq >= message.seq)
      .map(([userId]) => this.username(message.conversation_id, userId));
  }

  // Acting.

  /** Fetches the latest page the first time a conversation is shown. */
  async openConversation(conversationId: string): Promise<void> {
    const log = this.log(conversationId);
    if (log.loaded || log.loading) return;
    await this.loadPage(conversationId, log, {});
  }

  /** Fetches the page before the oldest message held (scrolling back). */
  async loadOlder(conversationId: string): Promise<void> {
    const log = this.log(conversationId);
    const oldest = log.oldestSeq;
    if (!log.loaded || !log.hasMore || log.loading || oldest === null) return;
    await this.loadPage(conversationId, log, { before: oldest });
  }

  send(conversationId: string, content: string, messageId: string = crypto.randomUUID()): void {
    this.pendingSends.set(messageId, { message_id: messageId, conversation_id: conversationId, content, created_at: Date.now(), status: 'sending', error: null });
    this.notify();
    const options = { messageId, timeoutMs: SEND_TIMEOUT_MS };
    const sending = this.session ? this.session.send(conversationId, content, options) : this.client.send(conversationId, content, options);
    sending.then(
      (message) => this.addMessage(message),
      (error: unknown) => this.markFailed(messageId, error),
    );
  }

  /** Sends a failed message again with the same message_id: stored once even if the first try got through. */
  retry(messageId: string): void {
    const pending = this.pendingSends.get(messageId);
    if (pending) this.send(pending.conversation_id, pending.content, messageId);
  }

  discard(messageId: string): void {
    this.pendingSends.delete(messageId);
    this.notify();
  }

  async edit(message: Message, content: string): Promise<void> {
    this.updateMessage(await this.client.editMessage(message.message_id, content));
  }

  async remove(message: Message): Promise<void> {
    await this.client.deleteMessage(message.message_id);
    this.updateMessage({ ...message, content: '', deleted: true });
  }

  /** Marks everything shown as read (once per seq). */
  markRead(conversationId: string): void {
    const latest = this.messages(conversationId).at(-1);
    if (!latest || !this.session) return;
    if (latest.seq <= Math.max(this.session.state.lastReadSeq(conversationId), this.readRequested.get(conversationId) ?? 0)) return;
    this.readRequested.set(conversationId, latest.seq);
    this.session.markRead(conversationId, latest.seq).then(
      () => this.notify(),
      () => this.readRequested.delete(conversationId),
    );
  }

  typing(conversationId: string): void {
    const now = Date.now();
    if (now - (this.typingSentAt.get(conversationId) ?? 0) < TYPING_THROTTLE_MS) return;
    if (this.session?.typing(conversationId)) this.typingSentAt.set(conversationId, now);
  }

  /** Creates a conversation with the users named; returns its id. */
  async create(title: string, memberIds: string[]): Promise<string> {
    const conversation = await this.client.createConversation({ title, member_ids: memberIds });
    this.upsertConversation(conversation);
    return conversation.id;
  }

  async findUser(username: string): Promise<User | null> {
    return (await this.client.findUsers(username))[0] ?? null;
  }

  async addMember(conversationId: string, userId: string): Promise<void> {
    await this.client.addMember(conversationId, userId);
    this.upsertConversation(await this.client.getConversation(conversationId));
  }

  async leave(conversationId: string): Promise<void> {
    await this.client.removeMember(conversationId, this.me.id);
    this.memberRemoved(conversationId, this.me.id);
  }

  // Event handling.

  private async loadPage(conversationId: string, log: MessageLog, cursor: { before?: number }): Promise<void> {
    log.loading = true;
    this.notify();
    try {
      const page = await this.client.listMessages(conversationId, { limit: PAGE_SIZE, ...cursor });
      for (const message of page.messages) log.add(message);
      log.hasMore = page.has_more;
      log.loaded = true;
    } finally {
      log.loading = false;
      this.notify();
    }
  }

  private addMessage(message: Message): void {
    this.log(message.conversation_id).add(message);
    this.pendingSends.delete(message.message_id);
    const entry = this.entries.get(message.conversation_id);
    if (entry) {
      if (!entry.lastMessage || message.seq >= entry.lastMessage.seq) entry.lastMessage = message;
      if (message.created_at > entry.activityAt) entry.activityAt = message.created_at;
    } else {
      void this.refreshConversations().catch(() => undefined);
    }
    this.notify();
  }

  private updateMessage(message: Message): void {
    this.logs.get(message.conversation_id)?.update(message);
    const entry = this.entries.get(message.conversation_id);
    if (entry?.lastMessage?.message_id === message.message_id) entry.lastMessage = message;
    this.notify();
  }

  private markFailed(messageId: string, error: unknown): void {
    const pending = this.pendingSends.get(messageId);
    if (!pending || this.stopped) return;
    pending.status = 'failed';
    pending.error = errorText(error);
    this.notify();
  }

  private upsertConversation(conversation: Conversation, lastMessage: Message | null = null): void {
    for (const member of conversation.members) this.names.set(member.user_id, member.username);
    const entry = this.entries.get(conversation.id);
    const last = [entry?.lastMessage ?? null, lastMessage].filter((m): m is Message => m !== null).sort((a, b) => b.seq - a.seq)[0] ?? null;
    const activityAt = [conversation.created_at, last?.created_at ?? '', entry?.activityAt ?? ''].sort().at(-1)!;
    this.entries.set(conversation.id, { conversation, lastMessage: last, activityAt });
    this.notify();
  }

  private memberRemoved(conversationId: string, userId: string): void {
    const entry = this.entries.get(conversationId);
    if (userId === this.me.id) {
      this.entries.delete(conversationId);
      this.logs.delete(conversationId);
    } else if (entry) {
      entry.conversation = { ...entry.conversation, members: entry.conversation.members.filter((m) => m.user_id !== userId) };
    }
    this.notify();
  }

  private onState(state: SessionState, code: number | undefined): void {
    if (state === 'reconnecting') this.wasDisconnected = true;
    if (state === 'live') {
      if (this.wasDisconnected) void this.refreshConversations().catch(() => undefined);
      this.wasDisconnected = false;
    }
    this.connection = state;
    if (state === 'closed') {
      this.session = null;
      if (code === SESSION_REVOKED) this.signedOut();
      else void this.client.me().catch((error: unknown) => this.handleAuthFailure(error));
    }
    this.notify();
  }

  private async refreshConversations(): Promise<void> {
    const summaries: ConversationSummary[] = [];
    let before: string | undefined;
    do {
      const page = await this.client.listConversations({ limit: 200, ...(before ? { before } : {}) });
      summaries.push(...page.conversations);
      before = page.next_cursor ?? undefined;
    } while (before);
    for (const { last_message, unread_count: _unread, ...conversation } of summaries) this.upsertConversation(conversation, last_message);
  }

  private handleAuthFailure(error: unknown): void {
    if (error instanceof PneumaticError && error.status === 401) this.signedOut();
  }

  private signedOut(): void {
    if (this.stopped) return;
    this.stop();
    this.onSignedOut();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
