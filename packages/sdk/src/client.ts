/**
 * The entry point: typed REST methods, authentication, a reliable outbox, and `connect()` for
 * a live session. Works in browsers and Node 20+.
 */
import type { BackoffOptions } from './backoff.js';
import { PneumaticError } from './errors.js';
import { HttpClient, type FetchLike } from './http-client.js';
import { MemoryOutboxStore, sendFieldsOf, type OutboxStore } from './outbox-store.js';
import { Outbox, type OutboxTransport, type SendOptions } from './outbox.js';
import { RestApi } from './rest-api.js';
import { Session, type SessionOptions } from './session/session.js';
import { defaultWebSocketFactory, socketUrl } from './session/websocket.js';
import type { AuthResult, Message, SignUpOptions, User } from './types.js';

export interface ClientOptions {
  /** The server, e.g. `http://127.0.0.1:8000`. */
  baseUrl: string;
  /** A token from an earlier login, to resume without credentials. */
  token?: string;
  /** The token's user, if known (saves a `GET /users/me` before the first send or connect). */
  user?: User;
  /** Custom fetch (default: the global one). */
  fetch?: FetchLike;
  /** HTTP request timeout, ms. Default 15,000. */
  requestTimeoutMs?: number;
  /** Where unacknowledged sends wait; `LocalStorageOutboxStore` survives a page reload. Default: memory. */
  outboxStore?: OutboxStore;
  /** Default give-up time for sends, ms; null (the default) retries until acknowledged. */
  sendTimeoutMs?: number | null;
  /** Delays between send retries. Default: 200 ms doubling to at most 5 s, full jitter. */
  sendBackoff?: BackoffOptions;
}

export class PneumaticClient extends RestApi {
  /** Unacknowledged sends; listen to `sent` / `failed` for sends restored after a reload. */
  readonly outbox: Outbox;
  private currentUser: User | null = null;
  private session: Session | null = null;
  private readonly httpTransport: OutboxTransport;

  constructor(options: ClientOptions) {
    const http = new HttpClient({ baseUrl: options.baseUrl, fetch: options.fetch, timeoutMs: options.requestTimeoutMs });
    super(http);
    http.token = options.token ?? null;
    this.currentUser = options.user ?? null;
    this.outbox = new Outbox({ store: options.outboxStore ?? new MemoryOutboxStore(), backoff: options.sendBackoff, defaultTimeoutMs: options.sendTimeoutMs ?? null });
    this.httpTransport = {
      deliver: (entry) => this.postMessage(sendFieldsOf(entry)),
    };
  }

  get baseUrl(): string {
    return this.http.baseUrl;
  }

  /** The bearer token in use, or null when logged out. */
  get token(): string | null {
    return this.http.token;
  }

  /** The logged-in user, once known (after register, login, `me()` or `connect()`). */
  get user(): User | null {
    return this.currentUser;
  }

  /** A server-relative path (an attachment's signed `url` or `thumbnail_url`) as an absolute URL of this server. */
  resolveUrl(path: string): string {
    return /^[a-z][a-z0-9+.-]*:/i.test(path) ? path : `${this.http.baseUrl}${path.startsWith('/') ? '' : '/'}${path}`;
  }

  /** The live session, if `connect()` was called and it has not closed. */
  get activeSession(): Session | null {
    return this.session;
  }

  /** Creates an account (with `invite`, an invite link's code: see `createUser`) and uses its token from now on. */
  async register(username: string, password: string, options: SignUpOptions = {}): Promise<AuthResult> {
    return this.adopt(await this.createUser(username, password, options));
  }

  /** Logs in and uses the new token from now on. */
  async login(username: string, password: string): Promise<AuthResult> {
    return this.adopt(await this.createSession(username, password));
  }

  /**
   * Logs in with the login code a single sign-on brings back (`#/sso/<login_code>`, see
   * `startSso`) and uses the new token from now on.
   */
  async loginWithSsoCode(loginCode: string): Promise<AuthResult> {
    return this.adopt(await this.createSsoSession(loginCode));
  }

  /**
   * Closes the session, stops the outbox and revokes the token; with `all: true`, every token of
   * the user (log out everywhere: their sockets close with 4401 and their requests get 401).
   */
  async logout(options: { all?: boolean } = {}): Promise<void> {
    this.session?.close();
    this.outbox.stop();
    try {
      await this.deleteSession(options);
    } finally {
      this.http.token = null;
      this.currentUser = null;
    }
  }

  override async me(): Promise<User> {
    const user = await super.me();
    this.currentUser = user;
    return user;
  }

  /**
   * Opens a live session: resolves once the socket is open and every known conversation is
   * caught up. Unacknowledged sends move to the socket. One session per client at a time.
   */
  async connect(options: SessionOptions = {}): Promise<Session> {
    if (this.session) return this.session;
    const user = await this.requireUser();
    const factory = options.webSocket ?? (await defaultWebSocketFactory());
    const session = new Session(
      {
        api: this,
        outbox: this.outbox,
        url: socketUrl(this.baseUrl),
        token: () => this.http.token ?? '',
        selfId: user.id,
        factory,
        onClosed: (closed) => {
          if (this.session !== closed) return;
          this.session = null;
          // Pending sends carry on over HTTP while no socket is open (nothing, once logged out).
          this.outbox.setTransport(this.http.token ? this.httpTransport : null);
        },
      },
      options,
    );
    this.session = session;
    await this.outbox.start(user.id, this.httpTransport);
    return session.start();
  }

  /**
   * Sends reliably: generates the message_id, resolves with the stored message once
   * acknowledged, retrying with the same id through disconnects and retryable errors until
   * acknowledged or the deadline passes. Over the socket when connected, else over HTTP.
   * `options.attachments` names uploaded files (`upload()`); `content` may then be ''.
   */
  async send(conversationId: string, content: string, options?: SendOptions): Promise<Message> {
    const user = await this.requireUser();
    if (!this.session) await this.outbox.start(user.id, this.httpTransport);
    return this.outbox.send(conversationId, content, options);
  }

  /** Closes the session and stops the outbox without revoking the token. */
  close(): void {
    this.session?.close();
    this.outbox.stop();
  }

  /** Answers naming users fill the session's user cache, so a UI finds their names there. */
  protected override usersSeen(users: readonly User[]): void {
    for (const user of users) this.session?.state.users.offerUser(user);
  }

  private adopt(result: AuthResult): AuthResult {
    this.http.token = result.token;
    this.currentUser = result.user;
    return result;
  }

  private async requireUser(): Promise<User> {
    if (this.currentUser) return this.currentUser;
    if (!this.http.token) throw new PneumaticError('unauthorized', 'Log in or register first (or pass a token).');
    return this.me();
  }
}
