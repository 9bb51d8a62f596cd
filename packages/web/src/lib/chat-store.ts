/**
 * The logged-in app: the SDK client and its session are the one source of truth (messages,
 * conversations, unread counts, typing, read positions, unacknowledged sends), kept current by
 * the change feed, including what changed while offline (edits, deletes, titles, members, reads)
 * and snapshots that reset a conversation; the per-entity stores below only expose slices of it
 * as atoms, refreshed from the state's change events, so each component re-renders for the one
 * slice it shows. This class wires them and holds the actions the screens call.
 */
import { LocalStorageOutboxStore, PneumaticClient, PneumaticError, type ChatState, type Conversation, type Message, type MessageReaction, type Session, type User } from '@pneumatic/client';
import { errorText } from './errors.js';
import { MemberChanges } from './member-changes.js';
import { reconnectOnNetworkChange } from './network-reconnect.js';
import { sessionEndOf, type SessionEnd } from './session-end.js';
import { sameEntries, sameItems, type Readable } from './stores/atom.js';
import { BlocksStore } from './stores/blocks-store.js';
import { ConnectionStore } from './stores/connection-store.js';
import { ConversationsStore } from './stores/conversations-store.js';
import { KeyedAtoms } from './stores/keyed-atoms.js';
import { MessagesStore } from './stores/messages-store.js';
import { ReplyTargets } from './stores/reply-targets.js';
import { ThreadsStore } from './stores/threads-store.js';
import { PinsStore } from './stores/pins-store.js';
import { SearchStore } from './stores/search-store.js';
import { PendingUploads } from './stores/pending-uploads.js';
import { PresenceAndNotifications } from './stores/presence-and-notifications.js';
import { ServerRoleStore } from './stores/server-role-store.js';
import { UsersStore } from './stores/users-store.js';

/** A send that gets no acknowledgement within this long shows as failed, with a retry. */
const SEND_TIMEOUT_MS = 20_000;
const TYPING_THROTTLE_MS = 2_500;

export class ChatStore {
  readonly me: User;
  readonly client: PneumaticClient;
  readonly connection = new ConnectionStore();
  readonly conversations = new ConversationsStore(() => this.state(), () => this.me.id);
  readonly messages: MessagesStore;
  readonly threads = new ThreadsStore(() => this.connection.session.get());
  readonly replyTargets = new ReplyTargets();
  readonly pins: PinsStore;
  readonly search: SearchStore;
  /** Files attached in each composer, uploading or ready to send. */
  readonly uploads: PendingUploads;
  readonly notify = new PresenceAndNotifications(() => this.client);
  /** Names and avatars per user (display name, else username). */
  readonly users: UsersStore;
  /** Your server role: admins see the Administration area and may delete anyone's message. */
  readonly role = new ServerRoleStore(() => this.client.myServerRole());
  /** Everyone you block: Settings lists them, the member menu and the history follow them. */
  readonly blocks = new BlocksStore(() => this.client);
  /** Adding, leaving, removing and roles in a conversation. */
  readonly members: MemberChanges;
  private readonly typingById = new KeyedAtoms<readonly string[]>((id) => this.state()?.typingUsers(id) ?? [], sameItems);
  private readonly readsById = new KeyedAtoms<ReadonlyMap<string, number>>((id) => this.state()?.readPositions(id) ?? new Map<string, number>(), sameEntries);
  /** Keyed "conversation_id message_id": one message's reactions, so a reaction re-renders only its bar. */
  private readonly reactionsByMessage = new KeyedAtoms<readonly MessageReaction[]>((key) => {
    const [conversationId = '', messageId = ''] = key.split(' ');
    return this.state()?.reactions(conversationId, messageId) ?? [];
  }, sameReactions);
  private readonly typingSentAt = new Map<string, number>();
  private readonly readRequested = new Map<string, number>();
  private readonly disposers: Array<() => void> = [];
  private sessionDisposers: Array<() => void> = [];
  private stopped = false;

  constructor(
    auth: { token: string; user: User },
    private readonly onSignedOut: (end?: SessionEnd) => void,
  ) {
    this.me = auth.user;
    // Unacknowledged sends survive a reload in localStorage and are resent with the same message_id.
    this.client = new PneumaticClient({ baseUrl: location.origin, token: auth.token, user: auth.user, outboxStore: new LocalStorageOutboxStore() });
    this.messages = new MessagesStore(() => this.connection.session.get(), this.client.outbox, this.client);
    this.pins = new PinsStore(() => this.state(), this.client);
    this.search = new SearchStore(this.client);
    this.uploads = PendingUploads.of(this.client);
    this.members = new MemberChanges(this.client, this.me.id, () => this.state());
    this.users = new UsersStore({ state: () => this.state(), self: () => this.me, fetchUsers: (ids) => this.client.getUsers(ids), findUsers: (name) => this.client.findUsers(name) });
  }

  /** Who is typing in a conversation (user ids, not you). */
  typing(conversationId: string): Readable<readonly string[]> {
    return this.typingById.of(conversationId);
  }

  /** Other members' read positions in a conversation. */
  reads(conversationId: string): Readable<ReadonlyMap<string, number>> {
    return this.readsById.of(conversationId);
  }

  /** A message's reactions: each emoji, its count, and whether it is yours. */
  reactions(message: Message): Readable<readonly MessageReaction[]> {
    return this.reactionsByMessage.of(`${message.conversation_id} ${message.message_id}`);
  }

  /** A name for anyone who is or was a member (not reactive: read it while rendering something that is). */
  username(userId: string): string {
    if (userId === this.me.id) return this.me.username;
    return this.state()?.username(userId) ?? 'Someone';
  }

  /** Opens the live session and follows the outbox. */
  async start(): Promise<void> {
    const { outbox } = this.client;
    this.disposers.push(
      outbox.on('sent', ({ message }) => {
        this.state()?.applySent(message);
        this.messages.acknowledge(message);
      }),
      outbox.on('failed', ({ entry, error }) => {
        if (!this.stopped) this.messages.fail(entry, errorText(error));
      }),
    );
    this.disposers.push(reconnectOnNetworkChange(this.connection));
    await this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.uploads.stop();
    for (const dispose of [...this.disposers.splice(0), ...this.sessionDisposers.splice(0)]) dispose();
    this.client.close();
  }

  /**
   * Revokes this login (`everywhere`: every login of the account, on every device; their
   * sockets close with 4401 and those pages return to the login screen). Logged out here even
   * when the server cannot be reached.
   */
  async logout(everywhere = false): Promise<void> {
    this.stop();
    await this.client.logout({ all: everywhere }).catch(() => undefined);
  }

  /** Opens a new session after the previous one closed for good. */
  async connect(): Promise<void> {
    this.connection.follow('connecting');
    let session: Session;
    try {
      session = await this.client.connect({ backoff: { initialDelayMs: 250, maxDelayMs: 5000 }, state: { windowSize: Number.POSITIVE_INFINITY } });
    } catch (error) {
      if (this.stopped) return;
      this.connection.follow('closed');
      return this.handleAuthFailure(error);
    }
    if (this.stopped) return session.close();
    this.bind(session);
  }

  // Acting.

  /** Sends (reliably); `extra` quotes a message, posts in a thread and/or attaches uploads (their ids). */
  send(conversationId: string, content: string, messageId: string = crypto.randomUUID(), extra: { replyToId?: string; threadRootId?: string; attachments?: string[] } = {}): void {
    const options = { messageId, timeoutMs: SEND_TIMEOUT_MS, ...extra };
    const session = this.connection.session.get();
    const sending = session ? session.send(conversationId, content, options) : this.client.send(conversationId, content, options);
    // Resolution and failure arrive as outbox events; the entry shows as pending once queued.
    sending.catch(() => undefined);
    // Posting in a thread follows it (again, after an unfollow), as the server does.
    if (extra.threadRootId) this.threads.posted(conversationId, extra.threadRootId);
    setTimeout(() => this.messages.changed(conversationId), 0);
  }

  /** Sends a failed message again with the same message_id: stored once even if the first try got through. */
  retry(messageId: string): void {
    const failed = this.messages.takeFailed(messageId);
    if (failed) this.send(failed.conversation_id, failed.content, messageId, { replyToId: failed.reply_to_id, threadRootId: failed.thread_root_id, attachments: failed.attachments });
  }

  discard(messageId: string): void {
    this.messages.takeFailed(messageId);
  }

  async edit(message: Message, content: string): Promise<void> {
    const edited = await this.client.editMessage(message.message_id, content);
    this.state()?.applyUpdate(edited);
  }

  /** Deletes a message: yours, or (`asAdmin`, docs/API.md "Moderation") anyone's, in any conversation. */
  async remove(message: Message, { asAdmin = false } = {}): Promise<void> {
    await (asAdmin ? this.client.deleteMessageAsAdmin(message.message_id) : this.client.deleteMessage(message.message_id));
    this.state()?.applyUpdate({ ...message, content: '', deleted: true });
  }

  /** Adds your reaction (`on`) or takes it back; yours at once, the count when the server's event arrives. */
  async setReaction(message: Message, emoji: string, on: boolean): Promise<void> {
    const session = this.connection.session.get();
    if (session) return session.react(message.message_id, emoji, on);
    if (on) await this.client.addReaction(message.message_id, emoji);
    else await this.client.removeReaction(message.message_id, emoji);
  }

  /** Marks everything up to `seq` as read (once per seq). */
  markRead(conversationId: string, seq: number): void {
    const session = this.connection.session.get();
    if (!session || seq <= Math.max(session.state.lastReadSeq(conversationId), this.readRequested.get(conversationId) ?? 0)) return;
    this.readRequested.set(conversationId, seq);
    session.markRead(conversationId, seq).catch(() => this.readRequested.delete(conversationId));
  }

  /** Tells the others you are typing (at most every 2.5 s). */
  typed(conversationId: string): void {
    const now = Date.now();
    if (now - (this.typingSentAt.get(conversationId) ?? 0) < TYPING_THROTTLE_MS) return;
    if (this.connection.session.get()?.typing(conversationId)) this.typingSentAt.set(conversationId, now);
  }

  /** Creates a conversation with the users named; returns its id. */
  async create(title: string, memberIds: string[]): Promise<string> {
    const conversation = await this.client.createConversation({ title, member_ids: memberIds });
    this.known(conversation);
    return conversation.id;
  }

  /** Renames a group (owners and admins); shown at once, and on other devices by the change feed. */
  async rename(conversationId: string, title: string): Promise<void> {
    this.known(await this.client.renameConversation(conversationId, title));
  }

  // Wiring.

  private state(): ChatState | null {
    return this.connection.session.get()?.state ?? null;
  }

  /** The SDK learns of it by event too; applying the answer now shows it without waiting. */
  private known(conversation: Conversation): void {
    this.state()?.applyConversation(conversation);
  }

  /** Feeds each entity store from the new session's state changes. */
  private bind(session: Session): void {
    for (const dispose of this.sessionDisposers.splice(0)) dispose();
    const { changes } = session.state;
    this.sessionDisposers.push(
      changes.on('conversation', (id) => this.conversations.changed(id)),
      changes.on('unread', (id) => this.conversations.unreadChanged(id)),
      changes.on('messages', (id) => {
        this.messages.changed(id);
        this.threads.changed(id);
        this.reactionsChanged(id);
      }),
      changes.on('threads', (id) => this.threads.changed(id)),
      changes.on('reactions', (id) => this.reactionsChanged(id)),
      changes.on('pins', (id) => this.pins.changed(id)),
      changes.on('typing', (id) => this.typingById.invalidate(id)),
      changes.on('reads', (id) => this.readsById.invalidate(id)),
      session.on('state', ({ state, code }) => this.onState(state, code)),
      session.on('conversation.reset', ({ conversation_id }) => this.messages.conversationReset(conversation_id)),
      session.on('messages.expired', ({ conversation_id, through_seq }) => this.messages.expired(conversation_id, through_seq)),
      ...this.notify.bind(session),
      ...this.users.bind(session),
      ...this.role.bind(session),
      ...this.blocks.bind(session),
    );
    this.connection.session.set(session);
    this.readRequested.clear();
    this.messages.reset();
    this.threads.reset();
    this.conversations.refreshAll();
    this.typingById.invalidateAll();
    this.readsById.invalidateAll();
    this.reactionsByMessage.invalidateAll();
    this.pins.refreshAll();
    this.connection.follow(session.connectionState);
    if (session.connectionState === 'live') void this.threads.refreshFollowed();
  }

  private reactionsChanged(conversationId: string): void {
    this.reactionsByMessage.invalidateWhere((key) => key.startsWith(`${conversationId} `));
  }

  private onState(state: Session['connectionState'], code: number | undefined): void {
    this.connection.follow(state);
    // Synced (at start and after each reconnect, with the conversation list): thread positions and unread counts too.
    if (state === 'live') void this.threads.refreshFollowed();
    // A closed session's state stays on screen until a new session (Reconnect) replaces it.
    if (state !== 'closed') return;
    const end = sessionEndOf(code);
    if (end) this.signedOut(end);
    else void this.client.me().catch((error: unknown) => this.handleAuthFailure(error));
  }

  private handleAuthFailure(error: unknown): void {
    if (error instanceof PneumaticError && error.status === 401) this.signedOut();
  }

  private signedOut(end: SessionEnd = 'revoked'): void {
    if (this.stopped) return;
    this.stop();
    this.onSignedOut(end);
  }
}

const sameReactions = (a: readonly MessageReaction[], b: readonly MessageReaction[]) =>
  a.length === b.length && a.every((r, i) => r.emoji === b[i]!.emoji && r.count === b[i]!.count && r.mine === b[i]!.mine);
