/** One typed method per HTTP route of API.md. */
import type { ServerLimits } from '@pneumatic/protocol';
import { IntegrationsRestApi } from './integrations-rest-api.js';
import { searchPages } from './search-pages.js';
import { uploadFile } from './uploads/upload-file.js';
import type { UploadInput, UploadOptions } from './uploads/upload-options.js';
import type {
  AroundPage,
  AuthResult,
  Conversation,
  ConversationPage,
  CreateConversationBody,
  EventsPage,
  EventsQuery,
  HistoryQuery,
  ListConversationsQuery,
  Member,
  Message,
  MessagePage,
  Pin,
  ReactionUsers,
  SearchOptions,
  SearchResults,
  SendMessageBody,
  SendToConversationBody,
  SignUpOptions,
  SyncOptions,
  SyncResponse,
  FollowedThread,
  ThreadPage,
  ThreadQuery,
  ThreadReadPosition,
  Upload,
  User,
} from './types.js';

const enc = encodeURIComponent;

/**
 * Every route of the API as a typed method (notification settings, presence and Web Push in
 * NotificationsRestApi; login options and invites in InvitesRestApi; single sign-on in
 * SsoRestApi; administration in AdminRestApi; profiles, the directory and login sessions in AccountsRestApi; API tokens, bots
 * and webhooks in IntegrationsRestApi).
 */
export class RestApi extends IntegrationsRestApi {
  /**
   * `POST /users`: creates an account, with `invite` the code of an invite link (needed when the
   * server's registration is `invite`; checked and counted whatever it is). Refusals:
   * `invite_required`, `invalid_invite` (its detail says why), `registration_closed` (403),
   * `username_taken`. Does not change the client's token; see `PneumaticClient.register`.
   */
  createUser(username: string, password: string, options: SignUpOptions = {}): Promise<AuthResult> {
    const body = options.invite === undefined ? { username, password } : { username, password, invite: options.invite };
    return this.http.request('POST', '/users', { body, anonymous: true });
  }

  /** `POST /sessions`: exchanges credentials for a token. */
  createSession(username: string, password: string): Promise<AuthResult> {
    return this.http.request('POST', '/sessions', { body: { username, password }, anonymous: true });
  }

  /**
   * Logs out: `DELETE /sessions/current` revokes this token; with `all`, `DELETE /sessions?all=true`
   * revokes every token of the user. The server closes the revoked tokens' sockets with 4401.
   */
  deleteSession(options: { all?: boolean } = {}): Promise<void> {
    if (options.all) return this.http.request('DELETE', '/sessions', { query: { all: true } });
    return this.http.request('DELETE', '/sessions/current');
  }

  /** `GET /users/me`. */
  me(): Promise<User> {
    return this.seenUser(this.http.request('GET', '/users/me'));
  }

  /** `GET /users/{id}`. */
  getUser(id: string): Promise<User> {
    return this.seenUser(this.http.request('GET', `/users/${enc(id)}`));
  }

  /** `GET /users?username=`: exact match ignoring case; an empty list when nobody has the name. */
  async findUsers(username: string): Promise<User[]> {
    const body = await this.http.request<{ users: User[] }>('GET', '/users', { query: { username } });
    this.usersSeen(body.users);
    return body.users;
  }

  /** `POST /conversations`: the caller becomes its owner. */
  createConversation(body: CreateConversationBody): Promise<Conversation> {
    return this.http.request('POST', '/conversations', { body });
  }

  /** `GET /conversations`: one page, most recent activity first; pass `next_cursor` as `before`. */
  listConversations(query: ListConversationsQuery = {}): Promise<ConversationPage> {
    return this.http.request('GET', '/conversations', { query });
  }

  /** `GET /conversations/{id}`. */
  getConversation(id: string): Promise<Conversation> {
    return this.http.request('GET', `/conversations/${enc(id)}`);
  }

  /** `PATCH /conversations/{id}`: renames it (owners only); announced as `conversation.updated`. */
  renameConversation(id: string, title: string): Promise<Conversation> {
    return this.http.request('PATCH', `/conversations/${enc(id)}`, { body: { title } });
  }

  /**
   * `GET /conversations/{id}/events`: the events after position `after`, ascending, each with
   * the current state of what it changed. Rejects with `position_expired` (410) when they are
   * no longer all kept: `sync` then answers a snapshot.
   */
  listEvents(conversationId: string, query: EventsQuery = {}): Promise<EventsPage> {
    return this.http.request('GET', `/conversations/${enc(conversationId)}/events`, { query: { ...query } });
  }

  /**
   * `POST /sync`: brings a device up to date. `positions` maps each conversation id to the highest
   * event_seq applied; conversations not listed come back as snapshots (`joined`).
   */
  sync(positions: Record<string, number>, options: SyncOptions = {}): Promise<SyncResponse> {
    return this.http.request('POST', '/sync', { body: { conversations: positions, ...options } });
  }

  /** `POST /conversations/{id}/members`: any member may add. */
  addMember(conversationId: string, userId: string): Promise<Member> {
    return this.http.request('POST', `/conversations/${enc(conversationId)}/members`, { body: { user_id: userId } });
  }

  /** `DELETE /conversations/{id}/members/{user_id}`: yourself; anyone if you are an owner; a member if you are an admin. */
  removeMember(conversationId: string, userId: string): Promise<void> {
    return this.http.request('DELETE', `/conversations/${enc(conversationId)}/members/${enc(userId)}`);
  }

  /**
   * `GET /conversations/{id}/messages`: ascending by seq; at most one of `before`, `after` and
   * `around`. With `around`, the page centred on that seq, with `has_more_before` / `has_more_after`.
   */
  listMessages(conversationId: string, query: HistoryQuery & { around: number }): Promise<AroundPage>;
  listMessages(conversationId: string, query?: HistoryQuery): Promise<MessagePage>;
  listMessages(conversationId: string, query: HistoryQuery = {}): Promise<MessagePage> {
    return this.http.request('GET', `/conversations/${enc(conversationId)}/messages`, { query: { ...query } });
  }

  /**
   * `GET /search/messages`: one page of the messages matching `query` (words, "phrases",
   * prefix*, from:username) in your conversations, best match first unless `order: 'recent'`.
   * Pass `next_cursor` as `cursor` for the next page, or iterate {@link searchPages}.
   */
  search(query: string, options: SearchOptions = {}): Promise<SearchResults> {
    return this.http.request('GET', '/search/messages', { query: { ...options, q: query } });
  }

  /** Every page of a search, fetched as the `for await` loop asks for it: `for await (const page of client.searchPages('lunch')) …`. */
  searchPages(query: string, options: SearchOptions = {}): AsyncGenerator<SearchResults, void, undefined> {
    return searchPages((q, o) => this.search(q, o), query, options);
  }

  /**
   * `POST /messages`: one attempt, no retry. Prefer `Session.send` / `PneumaticClient.send`,
   * which retry with the same message_id until acknowledged.
   */
  postMessage(body: SendMessageBody): Promise<Message> {
    return this.http.request('POST', '/messages', { body });
  }

  /** `POST /conversations/{id}/messages`: as {@link postMessage}. */
  postConversationMessage(conversationId: string, body: SendToConversationBody): Promise<Message> {
    return this.http.request('POST', `/conversations/${enc(conversationId)}/messages`, { body });
  }

  /** `PATCH /messages/{message_id}`: only the sender. */
  editMessage(messageId: string, content: string): Promise<Message> {
    return this.http.request('PATCH', `/messages/${enc(messageId)}`, { body: { content } });
  }

  /** `DELETE /messages/{message_id}`: the sender or an owner; the message keeps its seq. */
  deleteMessage(messageId: string): Promise<void> {
    return this.http.request('DELETE', `/messages/${enc(messageId)}`);
  }

  /** `PUT /messages/{id}/reactions/{emoji}`: adds your reaction (one emoji); a repeat changes nothing. */
  addReaction(messageId: string, emoji: string): Promise<void> {
    return this.http.request('PUT', `/messages/${enc(messageId)}/reactions/${enc(emoji)}`);
  }

  /** `DELETE /messages/{id}/reactions/{emoji}`: takes your reaction back; one not there changes nothing. */
  removeReaction(messageId: string, emoji: string): Promise<void> {
    return this.http.request('DELETE', `/messages/${enc(messageId)}/reactions/${enc(emoji)}`);
  }

  /** `GET /messages/{id}/reactions`: who reacted, per emoji, in the order of `Message.reactions`. */
  async listReactions(messageId: string): Promise<ReactionUsers[]> {
    const body = await this.http.request<{ reactions: ReactionUsers[] }>('GET', `/messages/${enc(messageId)}/reactions`);
    return body.reactions;
  }

  /** `POST /conversations/{id}/read`: moves the caller's read position forward (never back). */
  markRead(conversationId: string, seq: number): Promise<void> {
    return this.http.request('POST', `/conversations/${enc(conversationId)}/read`, { body: { seq } });
  }

  /** `PUT /conversations/{id}/pins/{message_id}`: any member; idempotent; 409 `too_many_pins` past 50. */
  pin(conversationId: string, messageId: string): Promise<void> {
    return this.http.request('PUT', `/conversations/${enc(conversationId)}/pins/${enc(messageId)}`);
  }

  /** `DELETE /conversations/{id}/pins/{message_id}`: any member, whoever pinned it; idempotent. */
  unpin(conversationId: string, messageId: string): Promise<void> {
    return this.http.request('DELETE', `/conversations/${enc(conversationId)}/pins/${enc(messageId)}`);
  }

  /** `GET /conversations/{id}/pins`: the pinned messages, newest pin first (`session.state.pins` keeps their ids live). */
  async listPins(conversationId: string): Promise<Pin[]> {
    const body = await this.http.request<{ pins: Pin[] }>('GET', `/conversations/${enc(conversationId)}/pins`);
    return body.pins;
  }

  /** `GET /messages/{id}/thread`: the root as it is now and a page of its replies, ascending by seq. Prefer `Session.threads.load`, which keeps them in state. */
  thread(rootId: string, query: ThreadQuery = {}): Promise<ThreadPage> {
    return this.http.request('GET', `/messages/${enc(rootId)}/thread`, { query: { ...query } });
  }

  /** `POST /messages/{id}/thread/read`: moves your read position in the thread forward to min(seq, its last reply). */
  markThreadRead(rootId: string, seq: number): Promise<ThreadReadPosition> {
    return this.http.request('POST', `/messages/${enc(rootId)}/thread/read`, { body: { seq } });
  }

  /** `PUT /messages/{id}/thread/follow`: idempotent. */
  followThread(rootId: string): Promise<void> {
    return this.http.request('PUT', `/messages/${enc(rootId)}/thread/follow`);
  }

  /** `DELETE /messages/{id}/thread/follow`: idempotent. */
  unfollowThread(rootId: string): Promise<void> {
    return this.http.request('DELETE', `/messages/${enc(rootId)}/thread/follow`);
  }

  /** `GET /threads`: the threads you follow, latest reply first, with your read position and unread count in each. */
  async listThreads(query: { limit?: number } = {}): Promise<FollowedThread[]> {
    const body = await this.http.request<{ threads: FollowedThread[] }>('GET', '/threads', { query: { ...query } });
    return body.threads;
  }

  /**
   * `POST /uploads`: uploads a file (a Blob or File, or bytes with `options.filename`) and
   * resolves with it once stored; attach it by passing its `id` in a send's `attachments`.
   * `onProgress` follows the bytes sent; `signal` cancels (rejects with `code: 'aborted'`).
   * Refusals keep the server's code: `file_too_large`, `upload_quota_exceeded`, `empty_file`.
   */
  upload(file: UploadInput, options: UploadOptions = {}): Promise<Upload> {
    return uploadFile(this.http, file, options);
  }

  /** `GET /uploads/{id}`: the upload with fresh signed links (a message's links expire after about an hour). */
  getUpload(id: string): Promise<Upload> {
    return this.http.request('GET', `/uploads/${enc(id)}`);
  }

  /** `GET /limits` (no login needed): the input limits this server enforces, to validate forms against. */
  getLimits(): Promise<ServerLimits> {
    return this.http.request('GET', '/limits', { anonymous: true });
  }

  /** `GET /healthz`: true when the process is up. */
  health(): Promise<boolean> {
    return this.probe('/healthz');
  }

  /** `GET /readyz`: true when the database (and bus) answer. */
  ready(): Promise<boolean> {
    return this.probe('/readyz');
  }

  private async probe(path: string): Promise<boolean> {
    try {
      await this.http.request('GET', path, { anonymous: true });
      return true;
    } catch {
      return false;
    }
  }
}
