/**
 * An in-memory stand-in for the server's change feed (docs/API.md, "Change feed"), for property
 * tests of the session: conversations with gapless event logs that read back the current state
 * of what each event changed, `POST /sync`, `GET …/events` (410 before the retention point),
 * `GET /conversations`, profile changes (a `member.updated` in each of the user's conversations,
 * and for "me" a `user.updated` frame and the sync's `me`), and live frames for one user ("me")
 * over fake sockets whose delivery a test can drop, duplicate or cut. Only what the SDK reads is modelled; permissions are not.
 */
import type { FetchLike } from '../../src/http-client.js';
import type { WebSocketFactory } from '../../src/session/websocket.js';
import type { Conversation, ConversationEvent, ConversationSummary, Member, Message, ServerFrame, SyncEntry, User } from '../../src/types.js';
import { FakeSocket } from './fake-socket.js';

export const ME = 'me';
const T0 = Date.parse('2026-01-01T00:00:00.000Z');

type LogEntry = { event_seq: number } & ({ type: 'conversation.created' | 'conversation.updated' } | { type: 'message.created' | 'message.edited' | 'message.deleted'; seq: number } | { type: 'member.added' | 'member.removed' | 'member.updated'; user_id: string });

interface FakeConversation {
  id: string;
  title: string;
  created_by: string;
  members: Map<string, Member>;
  messages: Map<number, Message>;
  log: LogEntry[];
  lastSeq: number;
  /** Events up to here are no longer kept. */
  pruned: number;
}

export interface Network {
  /** Asked for every live frame to "me": false loses it (a lost publish), 2 delivers it twice. */
  deliver(frame: ServerFrame): boolean | 2;
}

export class FakeFeedServer {
  readonly conversations = new Map<string, FakeConversation>();
  private readonly userSeqs = new Map<string, number>();
  /** Display name and status text per user who changed them (none: null). */
  private readonly profiles = new Map<string, { display_name: string; status_text: string }>();
  private profileChanges = 0;
  private readonly sockets = new Set<FakeSocket>();
  private clock = 0;
  private ids = 0;
  online = true;
  network: Network = { deliver: () => true };

  // Changes, each with its event(s) and live frames, as the server makes them.

  create(by: string, memberIds: string[]): string {
    const id = `c${++this.ids}`;
    const c: FakeConversation = { id, title: `title ${id}`, created_by: by, members: new Map(), messages: new Map(), log: [], lastSeq: 0, pruned: 0 };
    for (const userId of new Set([by, ...memberIds])) c.members.set(userId, this.member(userId, userId === by ? 'owner' : 'member'));
    this.conversations.set(id, c);
    c.log.push({ event_seq: 1, type: 'conversation.created' });
    if (c.members.has(ME)) this.send({ type: 'member.added', conversation_id: id, event_seq: 1, user_id: null, conversation: this.conversation(c), user_seq: this.bumpUserSeq(ME) });
    return id;
  }

  post(id: string, senderId: string): void {
    const c = this.get(id);
    if (!c.members.has(senderId)) return;
    const event_seq = this.nextEvent(c);
    const seq = ++c.lastSeq;
    const message: Message = { message_id: `${id}-m${seq}`, conversation_id: id, sender_id: senderId, content: `m${seq}`, seq, created_at: this.now(), edited_at: null, deleted: false, version: event_seq, reply_to_id: null, thread_root_id: null, thread: null, reactions: [], mentions: [], mentions_all: false, attachments: [] };
    c.messages.set(seq, message);
    c.log.push({ event_seq, type: 'message.created', seq });
    this.toMembers(c, { type: 'message', conversation_id: id, event_seq, message });
  }

  edit(id: string, pick: number, remove: boolean): void {
    const c = this.get(id);
    const live = [...c.messages.values()].filter((m) => !m.deleted);
    const target = live[pick % Math.max(1, live.length)];
    if (!target) return;
    const event_seq = this.nextEvent(c);
    const message: Message = remove ? { ...target, content: '', deleted: true, version: event_seq } : { ...target, content: `${target.content}'`, edited_at: this.now(), version: event_seq };
    c.messages.set(target.seq, message);
    c.log.push({ event_seq, type: remove ? 'message.deleted' : 'message.edited', seq: target.seq });
    this.toMembers(c, { type: 'message.updated', conversation_id: id, event_seq, message });
  }

  rename(id: string): void {
    const c = this.get(id);
    const event_seq = this.nextEvent(c);
    c.title = `${c.title}!`;
    c.log.push({ event_seq, type: 'conversation.updated' });
    this.toMembers(c, { type: 'conversation.updated', conversation_id: id, event_seq, conversation: this.conversation(c) });
  }

  add(id: string, userId: string): void {
    const c = this.get(id);
    if (c.members.has(userId)) return;
    const event_seq = this.nextEvent(c);
    c.members.set(userId, this.member(userId, 'member'));
    c.log.push({ event_seq, type: 'member.added', user_id: userId });
    const frame: ServerFrame = { type: 'member.added', conversation_id: id, event_seq, user_id: userId, conversation: this.conversation(c) };
    if (userId === ME) this.send({ ...frame, user_seq: this.bumpUserSeq(ME) });
    else this.toMembers(c, frame);
  }

  /** Removes a member; when the last owner goes, the longest-standing member becomes one. */
  remove(id: string, userId: string): void {
    const c = this.get(id);
    if (!c.members.has(userId)) return;
    const wasMember = c.members.has(ME);
    const event_seq = this.nextEvent(c);
    c.members.delete(userId);
    c.log.push({ event_seq, type: 'member.removed', user_id: userId });
    const frame: ServerFrame = { type: 'member.removed', conversation_id: id, event_seq, user_id: userId };
    if (userId === ME) this.send({ ...frame, user_seq: this.bumpUserSeq(ME) });
    else if (wasMember) this.send(frame);
    const heir = [...c.members.values()][0];
    if (heir && ![...c.members.values()].some((m) => m.role === 'owner')) {
      const promoted = { ...heir, role: 'owner' as const };
      c.members.set(heir.user_id, promoted);
      const next = this.nextEvent(c);
      c.log.push({ event_seq: next, type: 'member.updated', user_id: heir.user_id });
      this.toMembers(c, { type: 'member.updated', conversation_id: id, event_seq: next, member: promoted });
    }
  }

  read(id: string, userId: string): void {
    const c = this.get(id);
    const member = c.members.get(userId);
    if (!member || member.last_read_seq >= c.lastSeq) return;
    c.members.set(userId, { ...member, last_read_seq: c.lastSeq });
    const frame: ServerFrame = { type: 'read', conversation_id: id, user_id: userId, seq: c.lastSeq };
    if (userId === ME) this.send({ ...frame, user_seq: this.bumpUserSeq(ME) });
    else this.toMembers(c, frame);
  }

  /** The user changes their display name and status: announced in each of their conversations, and to "me" if it is them. */
  profile(userId: string): void {
    const version = ++this.profileChanges;
    this.profiles.set(userId, { display_name: `${userId} v${version}`, status_text: `status ${version}` });
    for (const c of this.conversations.values()) {
      const member = c.members.get(userId);
      if (!member) continue;
      const updated = { ...member, display_name: this.displayName(userId) };
      c.members.set(userId, updated);
      const event_seq = this.nextEvent(c);
      c.log.push({ event_seq, type: 'member.updated', user_id: userId });
      this.toMembers(c, { type: 'member.updated', conversation_id: c.id, event_seq, member: updated });
    }
    if (userId === ME) this.send({ type: 'user.updated', user: this.user(ME), user_seq: this.bumpUserSeq(ME) });
  }

  /** Retention passes: every event so far is no longer kept. */
  prune(id: string): void {
    const c = this.get(id);
    c.pruned = c.log.length;
  }

  /** Drops every socket, as a network failure would. */
  cut(): void {
    for (const socket of [...this.sockets]) socket.drop();
  }

  // What "me" should end up with.

  mine(): FakeConversation[] {
    return [...this.conversations.values()].filter((c) => c.members.has(ME));
  }

  conversation(c: FakeConversation): Conversation {
    return { id: c.id, title: c.title, created_at: new Date(T0).toISOString(), created_by: c.created_by, last_seq: c.lastSeq, last_event_seq: c.log.length, members: [...c.members.values()] };
  }

  displayName(userId: string): string | null {
    return this.profiles.get(userId)?.display_name ?? null;
  }

  user(userId: string): User {
    const profile = this.profiles.get(userId);
    return { id: userId, username: userId, created_at: new Date(T0).toISOString(), is_bot: false, display_name: profile?.display_name ?? null, avatar_url: null, status_text: profile?.status_text ?? null, deactivated: false };
  }

  unreadCount(c: FakeConversation): number {
    const lastRead = c.members.get(ME)?.last_read_seq ?? 0;
    return [...c.messages.values()].filter((m) => !m.deleted && m.sender_id !== ME && m.seq > lastRead).length;
  }

  // Transport.

  readonly fetch: FetchLike = async (input, init) => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (!this.online) throw new TypeError('fetch failed');
    const url = new URL(input);
    const result = this.route(init.method, url, init.body === undefined ? undefined : JSON.parse(init.body));
    const [status, body] = result;
    return { status, headers: { get: (name: string) => (name === 'content-type' ? 'application/json' : null) }, text: async () => JSON.stringify(body) };
  };

  readonly factory: WebSocketFactory = () => {
    const socket = new FakeSocket(this.sockets);
    setTimeout(() => (this.online ? socket.open() : socket.fail()), 0);
    return socket;
  };

  private route(method: string, url: URL, body: unknown): [number, unknown] {
    const path = url.pathname;
    if (method === 'GET' && path === '/users/me') return [200, this.user(ME)];
    if (method === 'POST' && path === '/sync') return [200, this.sync(body as { conversations: Record<string, number>; limit?: number; messages_limit?: number })];
    if (method === 'GET' && path === '/conversations') return [200, { conversations: this.mine().map((c) => this.summary(c)), next_cursor: null }];
    const events = /^\/conversations\/([^/]+)\/events$/.exec(path);
    if (method === 'GET' && events) return this.events(events[1]!, Number(url.searchParams.get('after') ?? 0), Number(url.searchParams.get('limit') ?? 100));
    return [404, { code: 'not_found', detail: `${method} ${path}`, status: 404 }];
  }

  private sync(body: { conversations: Record<string, number>; limit?: number; messages_limit?: number }) {
    const entries: SyncEntry[] = [];
    for (const [id, after] of Object.entries(body.conversations)) {
      const c = this.conversations.get(id);
      if (!c?.members.has(ME)) entries.push({ conversation_id: id, status: 'gone' });
      else if (after < c.pruned) entries.push(this.snapshot(c, 'expired', body.messages_limit ?? 50));
      else {
        const page = this.page(c, after, body.limit ?? 100);
        const reads = [...c.members.values()].map((m) => ({ user_id: m.user_id, last_read_seq: m.last_read_seq }));
        entries.push({ conversation_id: id, status: 'events', ...page, last_event_seq: c.log.length, reads });
      }
    }
    for (const c of this.mine()) if (!(c.id in body.conversations)) entries.push(this.snapshot(c, 'joined', body.messages_limit ?? 50));
    return { user_seq: this.userSeqs.get(ME) ?? 0, conversations: entries, me: this.user(ME) };
  }

  private events(id: string, after: number, limit: number): [number, unknown] {
    const c = this.conversations.get(id);
    if (!c) return [404, { code: 'not_found', detail: 'no such conversation', status: 404 }];
    if (!c.members.has(ME)) return [403, { code: 'not_member', detail: 'not a member', status: 403 }];
    if (after < c.pruned) return [410, { code: 'position_expired', detail: 'expired', status: 410 }];
    return [200, { ...this.page(c, after, limit), last_event_seq: c.log.length }];
  }

  private page(c: FakeConversation, after: number, limit: number) {
    const entries = c.log.slice(after, after + limit);
    return { events: entries.map((e) => this.materialize(c, e)), has_more: after + limit < c.log.length };
  }

  /** An event as read from the log: with the current state of what it changed. */
  private materialize(c: FakeConversation, entry: LogEntry): ConversationEvent {
    const head = { event_seq: entry.event_seq, conversation_id: c.id, actor_id: null, created_at: new Date(T0).toISOString() };
    if ('seq' in entry) return { ...head, type: entry.type, message: c.messages.get(entry.seq)! };
    if ('user_id' in entry) return { ...head, type: entry.type, user_id: entry.user_id, member: c.members.get(entry.user_id) ?? null };
    return { ...head, type: entry.type, conversation: this.conversation(c) };
  }

  private snapshot(c: FakeConversation, reason: 'joined' | 'expired', limit: number): SyncEntry {
    const all = [...c.messages.values()];
    const messages = limit === 0 ? [] : all.slice(-limit);
    return { conversation_id: c.id, status: 'snapshot', reason, snapshot: { conversation: this.conversation(c), messages, has_more_messages: messages.length < all.length, pins: [] } };
  }

  private summary(c: FakeConversation): ConversationSummary {
    return { ...this.conversation(c), last_message: [...c.messages.values()].at(-1) ?? null, unread_count: this.unreadCount(c), unread_mentions: 0 };
  }

  private toMembers(c: FakeConversation, frame: ServerFrame): void {
    if (c.members.has(ME)) this.send(frame);
  }

  private send(frame: ServerFrame): void {
    const copies = this.network.deliver(frame);
    if (copies === false) return;
    for (const socket of this.sockets) for (let i = 0; i < (copies === 2 ? 2 : 1); i++) socket.receive(frame);
  }

  private get(id: string): FakeConversation {
    const c = this.conversations.get(id);
    if (!c) throw new Error(`no conversation ${id}`);
    return c;
  }

  private nextEvent(c: FakeConversation): number {
    return c.log.length + 1;
  }

  private bumpUserSeq(userId: string): number {
    const next = (this.userSeqs.get(userId) ?? 0) + 1;
    this.userSeqs.set(userId, next);
    return next;
  }

  private member(userId: string, role: Member['role']): Member {
    return { user_id: userId, username: userId, is_bot: false, display_name: this.displayName(userId), avatar_url: null, role, joined_at: this.now(), last_read_seq: 0 };
  }

  private now(): string {
    return new Date(T0 + ++this.clock * 1000).toISOString();
  }
}
