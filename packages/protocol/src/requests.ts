/** Request bodies and query strings. Built from the configured limits, so validation and docs agree. */
import { Type, type Static } from 'typebox';
import { STORABLE_TEXT_PATTERN, USERNAME_PATTERN, type Limits } from './limits.js';
import { SYNC_MAX_CONVERSATIONS } from './change-feed.js';
import { Timestamp, UUID_PATTERN, Uuid } from './models.js';
import { SEARCH_LIMIT_MAX, SEARCH_ORDERS } from './search.js';
import { ATTACHMENTS_MAX_PER_MESSAGE } from './uploads.js';
import { DirectoryQuery, USERS_BY_ID_MAX } from './profiles.js';

const SeqCursor = Type.Integer({ minimum: 0 });

/**
 * What a send may name besides its content, all optional: the message quoted and the thread
 * (docs/API.md, "Replies and threads"), and the sender's uploads to attach ("Files and images").
 */
export const ReplyFields = {
  reply_to_id: Type.Optional(Uuid),
  thread_root_id: Type.Optional(Uuid),
  attachments: Type.Optional(Type.Array(Uuid, { maxItems: ATTACHMENTS_MAX_PER_MESSAGE, uniqueItems: true, description: 'ids of your own uploads, in display order' })),
};

/**
 * A send's content: required as in ../shared/API.md, and may be empty only when the send has
 * attachments; the server refuses an empty one without (400 invalid_request at /content).
 */
export function sendContent(limits: Limits) {
  return Type.String({ maxLength: limits.contentMaxChars, pattern: STORABLE_TEXT_PATTERN, description: 'may be "" when the send has attachments' });
}

export function requestSchemas(limits: Limits) {
  const Content = Type.String({ minLength: 1, maxLength: limits.contentMaxChars, pattern: STORABLE_TEXT_PATTERN });
  const Username = Type.String({
    minLength: limits.usernameMinChars,
    maxLength: limits.usernameMaxChars,
    pattern: USERNAME_PATTERN,
    description: `${limits.usernameMinChars} to ${limits.usernameMaxChars} characters of A-Z a-z 0-9 _ . -, unique ignoring case`,
  });
  const Credentials = Type.Object({
    username: Username,
    password: Type.String({ minLength: limits.passwordMinChars, maxLength: limits.passwordMaxChars }),
  });
  return {
    Credentials,
    /** POST /users: credentials, and the invite code when REGISTRATION=invite (docs/API.md, "Registration and invites"). */
    SignUp: Type.Object({ ...Credentials.properties, invite: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }),
    /** POST /bots (docs/API.md, "Bots"): a bot's username follows the users' rules; it has no password. */
    CreateBot: Type.Object({ username: Username }, { additionalProperties: false }),
    /** POST /conversations/{id}/incoming-webhooks: the username of the bot it posts as (a new bot). */
    CreateIncomingWebhook: Type.Object({ username: Username }, { additionalProperties: false }),
    /** POST /hooks/{secret}: what the bot posts. */
    IncomingPost: Type.Object({ content: Content }),
    CreateConversation: Type.Object({
      title: Type.String({ minLength: 1, maxLength: limits.titleMaxChars, pattern: STORABLE_TEXT_PATTERN }),
      member_ids: Type.Array(Uuid, { maxItems: limits.membersMax }),
    }),
    UpdateConversation: Type.Object({
      title: Type.String({ minLength: 1, maxLength: limits.titleMaxChars, pattern: STORABLE_TEXT_PATTERN }),
    }),
    AddMember: Type.Object({ user_id: Uuid }),
    /** PATCH /conversations/{id}/members/{user_id} (docs/API.md, "Conversation roles"). */
    UpdateMember: Type.Object(
      { role: Type.Union([Type.Literal('owner'), Type.Literal('admin'), Type.Literal('member')]) },
      { additionalProperties: false, title: 'UpdateMember' },
    ),
    /** PUT and DELETE /users/me/blocks/{user_id}. */
    BlockParams: Type.Object({ user_id: Uuid }),
    SendMessage: Type.Object({
      message_id: Uuid,
      conversation_id: Uuid,
      content: sendContent(limits),
      sender_id: Type.Optional(Uuid),
      ...ReplyFields,
    }),
    // sender_id as in SendMessage: the route spreads the body into the send, so it must be validated here too.
    SendToConversation: Type.Object({ message_id: Uuid, content: sendContent(limits), sender_id: Type.Optional(Uuid), ...ReplyFields }),
    EditMessage: Type.Object({ content: Content }),
    MarkRead: Type.Object({ seq: Type.Integer({ minimum: 0 }) }),
    ListThreadsQuery: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) }),
    ListConversationsQuery: Type.Object({
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
      before: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: 'next_cursor of the previous page' })),
    }),
    HistoryQuery: Type.Object({
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
      before: Type.Optional(SeqCursor),
      after: Type.Optional(SeqCursor),
    }),
    // A conversation's history also takes `around` (a thread's pages do not): the page centred on that seq.
    ConversationHistoryQuery: Type.Object({
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
      before: Type.Optional(SeqCursor),
      after: Type.Optional(SeqCursor),
      around: Type.Optional(Type.Integer({ minimum: 0, description: 'the page centred on this seq: about half older, the message, the rest newer' })),
    }),
    EventsQuery: Type.Object({
      after: Type.Optional(Type.Integer({ minimum: 0, default: 0, description: 'the highest event_seq the client has applied' })),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    }),
    Sync: Type.Object({
      conversations: Type.Record(Type.String({ pattern: UUID_PATTERN }), Type.Integer({ minimum: 0 }), {
        maxProperties: SYNC_MAX_CONVERSATIONS,
        additionalProperties: false,
        description: 'conversation id → the highest event_seq the client has applied',
      }),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100, description: 'events per conversation' })),
      messages_limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 200, default: 50, description: 'messages per snapshot' })),
    }),
    SearchQuery: Type.Object({
      // Longer than the domain's limit (query_too_long says what the limit is); null bytes and other controls are refused here.
      q: Type.String({ maxLength: 2000, pattern: STORABLE_TEXT_PATTERN, description: 'the query (docs/API.md, "Search": words, "phrases", prefix*, from:username)' }),
      conversation_id: Type.Optional(Uuid),
      sender_id: Type.Optional(Uuid),
      before: Type.Optional(Timestamp),
      after: Type.Optional(Timestamp),
      order: Type.Optional(Type.Union(SEARCH_ORDERS.map((o) => Type.Literal(o)), { default: 'relevance' })),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: SEARCH_LIMIT_MAX, default: 20 })),
      cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'next_cursor of the previous page' })),
    }),
    /** GET /users: exactly one of username (v1, exact), q (the directory) and ids (docs/API.md, "Finding people"). */
    FindUsersQuery: Type.Object({
      username: Type.Optional(Type.String({ minLength: 1, maxLength: 256, pattern: STORABLE_TEXT_PATTERN })),
      q: DirectoryQuery.properties.q,
      ids: Type.Optional(Type.String({ maxLength: 100 * 37, description: `comma-separated user ids, at most ${USERS_BY_ID_MAX}` })),
      limit: DirectoryQuery.properties.limit,
      cursor: DirectoryQuery.properties.cursor,
    }),
    LogoutQuery: Type.Object({ all: Type.Optional(Type.Boolean({ description: 'revoke every session of the user' })) }),
    ConversationParams: Type.Object({ id: Uuid }),
    MemberParams: Type.Object({ id: Uuid, user_id: Uuid }),
    MessageParams: Type.Object({ message_id: Uuid }),
    // Any string: whether it is one emoji is the domain's check (400 invalid_emoji, not invalid_request).
    ReactionParams: Type.Object({ message_id: Uuid, emoji: Type.String({ description: 'one RGI emoji, URL-encoded' }) }),
    PinParams: Type.Object({ id: Uuid, message_id: Uuid }),
    UserParams: Type.Object({ id: Uuid }),
  };
}

export type RequestSchemas = ReturnType<typeof requestSchemas>;
export type Credentials = Static<RequestSchemas['Credentials']>;
export type CreateBotBody = Static<RequestSchemas['CreateBot']>;
export type CreateConversationBody = Static<RequestSchemas['CreateConversation']>;
export type SendMessageBody = Static<RequestSchemas['SendMessage']>;
export type HistoryQuery = Static<RequestSchemas['HistoryQuery']>;
export type ConversationHistoryQuery = Static<RequestSchemas['ConversationHistoryQuery']>;
export type SyncBody = Static<RequestSchemas['Sync']>;
export type EventsQuery = Static<RequestSchemas['EventsQuery']>;
