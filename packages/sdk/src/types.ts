/**
 * Wire types, taken from the server's own schemas (@pneumatic/protocol) so SDK and server cannot
 * drift, plus the few response envelopes API.md describes around them.
 */
import type { Static } from 'typebox';
import type * as Wire from '@pneumatic/protocol';

// Aliases rather than re-exports: in the protocol most of these names are a TypeBox schema (a
// value) and a type at once, and the SDK exports only the type. Its published declarations are
// bundled (rollup.config.mjs), so a re-export would promise a value the SDK does not have.
export type Conversation = Wire.Conversation;
export type ConversationSummary = Wire.ConversationSummary;
export type Member = Wire.Member;
export type MemberRole = Wire.MemberRole;
export type Block = Wire.Block;
/** `GET /users/me/export`: your own data (docs/API.md, "Your data"). */
export type UserExport = Wire.UserExport;
export type Message = Wire.Message;
/** A file on a message (`Message.attachments`): `url` and `thumbnail_url` are signed links relative to the server, valid about an hour. */
export type Attachment = Wire.Attachment;
/** An upload (`client.upload()`, `client.getUpload()`): an Attachment with `created_at` and whether a message attaches it. */
export type Upload = Wire.Upload;
export type Pin = Wire.Pin;
export type PinRef = Wire.PinRef;
export type Problem = Wire.Problem;
export type User = Wire.User;
/** A client frame, or with `T` one type of it, e.g. `ClientFrame<'send'>`. */
export type ClientFrame<T extends Wire.ClientFrameType = Wire.ClientFrameType> = Wire.ClientFrame<T>;
export type ServerFrame = Wire.ServerFrame;
export type ErrorCode = Wire.ErrorCode;
/** `online`, `away` or `offline` (docs/API.md, "Presence"). */
export type PresenceStatus = Wire.PresenceStatus;
/** One user's presence, as `GET /presence` lists it and the `presence` frame carries it. */
export type UserPresence = Wire.UserPresence;
/** What a device reports in an `activity` frame: whether its user is using it, and the conversation open and visible on it. */
export interface ActivityReport {
  state: Wire.ActivityState;
  /** The conversation open and visible on this device; null when none is, or the app is hidden. */
  viewing: string | null;
}
export type CreateConversationBody = Wire.CreateConversationBody;
export type Credentials = Wire.Credentials;
/** `GET /conversations/{id}/messages`: `limit`, and at most one of `before`, `after` and `around`. */
export type HistoryQuery = Wire.ConversationHistoryQuery;
export type ConversationEvent = Wire.ConversationEvent;
export type ConversationEventType = Wire.ConversationEventType;
export type ConversationSnapshot = Wire.ConversationSnapshot;
export type EventsPage = Wire.EventsPage;
export type ReadPosition = Wire.ReadPosition;
export type SyncEntry = Wire.SyncEntry;
export type SyncResponse = Wire.SyncResponse;
export type MyReactions = Wire.MyReactions;
export type ReactionUsers = Wire.ReactionUsers;
export type ThreadPage = Wire.ThreadPage;
export type ThreadReadPosition = Wire.ThreadReadPosition;
/** `all` messages notify, only those that `mentions` you (by name or @all), or `none` (docs/API.md, "Notification settings"). */
export type NotificationLevel = Wire.NotificationLevel;
/** Your defaults: every conversation without settings of its own follows them. */
export type NotificationDefaults = Wire.NotificationDefaults;
/** Your settings of one conversation: `level` null follows your default; `muted_until` null is not muted. */
export type ConversationNotificationSettings = Wire.ConversationNotificationSettings;
/** `GET /notification-settings`: your defaults and every conversation with settings of its own. */
export type NotificationSettings = Wire.NotificationSettings;
/** `PATCH /notification-settings`: any of the defaults. */
export type NotificationDefaultsPatch = Wire.UpdateNotificationDefaults;
/** One thread you follow (`GET /threads`): its root, your read position and its unread replies. */
export type FollowedThread = Wire.ThreadState;
/** A browser subscription as the server keeps it (`GET /push/subscriptions`): never its keys. */
export type PushSubscription = Wire.PushSubscription;
/** A browser's `PushSubscription.toJSON()`, the body of `POST /push/subscriptions`. */
export type PushSubscriptionJson = Wire.PushSubscriptionInput;
/** What a push carries to the service worker (docs/API.md, "Web Push"). */
export type PushPayload = Wire.PushPayload;
/** What an API token may do (docs/API.md, "API tokens and scopes"). */
export type Scope = Wire.Scope;
/** An API token as its owner sees it (`GET /tokens`): never its secret. */
export type ApiToken = Wire.ApiToken;
/** The body of `POST /tokens`. */
export type ApiTokenInput = Wire.ApiTokenInput;
/** The answer to `POST /tokens`: the token and its secret, shown this once. */
export type CreatedApiToken = Wire.CreatedApiToken;
/** A bot account as its owner sees it (`GET /bots`). */
export type Bot = Wire.Bot;
/** An incoming webhook as the conversation's members see it: never its URL. */
export type IncomingWebhook = Wire.IncomingWebhook;
/** The answer to creating an incoming webhook: its secret URL, shown this once. */
export type CreatedIncomingWebhook = Wire.CreatedIncomingWebhook;
/** An outgoing webhook as its owner sees it (`GET /webhooks`): never its secret. */
export type Webhook = Wire.Webhook;
/** The body of `POST /webhooks`: `url`, `event_types`, and exactly one of `conversation_id` and `bot_id`. */
export type WebhookInput = Wire.CreateWebhook;
/** `PATCH /webhooks/{id}`: any of `url`, `event_types`, `description` and `enabled`. */
export type WebhookPatch = Wire.UpdateWebhook;
/** The answer to creating a webhook or rotating its secret: the signing secret (`whsec_…`), shown this once. */
export type CreatedWebhook = Wire.CreatedWebhook;
/** A change feed event type a webhook may subscribe to. */
export type WebhookEventType = Wire.ConversationEventType;
/** One event's delivery to one webhook; its `id` is the `webhook-id` header, the same on every attempt. */
export type WebhookDelivery = Wire.WebhookDelivery;
/** `delivered` (answered 2xx), `retrying`, or `failed` (given up). */
export type WebhookDeliveryStatus = WebhookDelivery['status'];
/** `GET /webhooks/{id}/deliveries`: a page of the log, newest first; `next_before` is null at the end. */
export type WebhookDeliveryPage = Wire.WebhookDeliveryList;
/** `PATCH /users/me`: either field; `null` or "" clears it (docs/API.md, "Profiles"). */
export type ProfilePatch = Wire.UpdateProfile;
/**
 * One login of yours as `GET /sessions` lists it: where it was last used from, and `current` for
 * the one making the request. Not to be confused with the live {@link Session} of `connect()`.
 */
export type LoginSession = Wire.Session;
/** Who may sign up: anyone (`open`), with an invite code (`invite`) or nobody (`closed`): docs/API.md, "Registration and invites". */
export type RegistrationPolicy = Wire.RegistrationPolicy;
/**
 * `GET /login-options`: what a client's first screen should offer. Written out rather than
 * `Wire.LoginOptions`: the protocol builds `registration` as a union over a mapped array, whose
 * static type TypeScript reduces to `never`.
 */
export interface LoginOptions {
  registration: RegistrationPolicy;
  /** Whether `POST /sessions` with a username and password works (`PASSWORD_LOGIN`). */
  password_login: boolean;
  /** The single sign-on providers (OpenID Connect) to offer, in the server's order: one button each. */
  providers: LoginProvider[];
}
/** A single sign-on provider (docs/API.md, "Single sign-on"): `id` names it in the routes, `name` is its button label. */
export type LoginProvider = Wire.SsoProvider;
/** `startSso`: where the browser returns and whether the flow links the provider to you rather than logging in. */
export interface SsoStartOptions {
  /**
   * Where the browser lands after the provider, with `#/sso/<login_code>` (or `#/sso-linked/<provider>`)
   * appended: a path on the server (`/`, the default) or a URL on an origin of its CORS_ORIGINS.
   */
  returnTo?: string;
  /** Link the provider's identity to the logged-in user (sends the token; `unauthorized` without one). */
  link?: boolean;
}
/** The answer to `POST /auth/oidc/{provider}/authorize`: the provider's page to send the browser to. */
export type SsoStart = Wire.SsoAuthorization;
/**
 * A provider identity linked to your account (`GET /users/me/identities`): the provider's id and
 * name, the e-mail it last gave (null if none; never used to link accounts), when it was linked
 * and last logged you in (null if never).
 */
export type LinkedIdentity = Wire.LinkedIdentity;
/** `GET /users/me/identities`: the linked identities, and whether the account has a password (false: made by single sign-on, nothing to change). */
export type LinkedIdentities = Wire.LinkedIdentityList;
/** An invite link as its maker sees it (`GET /invites`): never its code. */
export type Invite = Wire.Invite;
/** `POST /invites`: `expires_in_seconds` (60 to 30 days, default 7 days) and `max_uses` (1 to 1000, default 1). */
export type InviteInput = Wire.CreateInvite;
/** The answer to `POST /invites`: the invite, its code (shown this once) and `path`, the web app's sign-up page for it (`/#/invite/<code>`). */
export type CreatedInvite = Wire.CreatedInvite;
type RequestSchemas = Wire.RequestSchemas;

export type ListConversationsQuery = Static<RequestSchemas['ListConversationsQuery']>;
export type SendToConversationBody = Static<RequestSchemas['SendToConversation']>;
export type SendMessageBody = Static<RequestSchemas['SendMessage']>;
export type LogoutQuery = Static<RequestSchemas['LogoutQuery']>;
export type EventsQuery = Static<RequestSchemas['EventsQuery']>;
/** `POST /sync` options besides the positions: events per conversation, messages per snapshot. */
export type SyncOptions = Omit<Static<RequestSchemas['Sync']>, 'conversations'>;

/** `POST /users` besides the username and password. */
export interface SignUpOptions {
  /** An invite link's code (`pni_…`): needed when the server's registration is `invite`. */
  invite?: string;
}

/** `POST /users`, `POST /sessions` and `POST /sessions/sso`. */
export interface AuthResult {
  user: User;
  token: string;
}

/** `GET /conversations`. */
export interface ConversationPage {
  conversations: ConversationSummary[];
  next_cursor: string | null;
}

/** `GET /conversations/{id}/messages`. */
export interface MessagePage {
  messages: Message[];
  has_more: boolean;
  /** Your own reactions on the page's messages (message id → emoji); absent when you reacted to none of them. */
  my_reactions?: MyReactions;
}

/**
 * `GET /conversations/{id}/messages?around=SEQ`: the page centred on that seq (about half
 * older, the message, the rest newer), with whether there is more on each side: page on with
 * `before` = the first seq and `after` = the last.
 */
export interface AroundPage extends MessagePage {
  has_more_before: boolean;
  has_more_after: boolean;
}

/** The search request's options besides the query (docs/API.md, "Search"): filters, order, page size and cursor. */
export interface SearchOptions {
  /** Only this conversation (you must be a member). */
  conversation_id?: string;
  /** Only this sender's messages (as `from:username` in the query). */
  sender_id?: string;
  /** Only messages created strictly before / after these instants (ISO 8601). */
  before?: string;
  after?: string;
  /** Best match first (default) or newest first. */
  order?: SearchOrder;
  /** 1–100, default 20. */
  limit?: number;
  /** The previous page's `next_cursor`. */
  cursor?: string;
}
export type SearchOrder = (typeof Wire.SEARCH_ORDERS)[number];
/** `GET /search/messages`: a page of results, each a message with a plain-text snippet and where the query matched in it. */
export type SearchResults = Wire.SearchResults;
export type SearchResult = Wire.SearchResult;
/** [start, end) in a result's `snippet`, in UTF-16 code units (JavaScript string indices). */
export type Highlight = Wire.Highlight;

/** `GET /messages/{id}/thread`: history's cursors, at most one of `before` and `after`; `limit` 1–200 (default 50). */
export interface ThreadQuery {
  before?: number;
  after?: number;
  limit?: number;
}

/** `GET /webhooks/{id}/deliveries`: page size 1–200 (default 50), the previous page's `next_before`, one status only. */
export interface WebhookDeliveryQuery {
  limit?: number;
  before?: string;
  status?: WebhookDeliveryStatus;
}

/** A server frame of one type, e.g. `FrameOf<'ack'>`. */
export type FrameOf<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;

/** `GET /users?q=`: one page of the directory, ordered by username; `next_cursor` is null on the last page. */
export interface UserDirectoryPage {
  users: User[];
  next_cursor: string | null;
}

/** The directory search's page size (1–50, default 20) and the previous page's `next_cursor`. */
export interface UserSearchOptions {
  limit?: number;
  cursor?: string;
}

// The administration types (docs/API.md, "Administration"), in a file of their own.
export type * from './admin-types.js';
