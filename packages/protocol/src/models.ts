/**
 * Wire objects of ../shared/API.md, as TypeBox schemas. They drive the OpenAPI document,
 * response serialization and the TypeScript types that server, SDK and web app share.
 */
import { Type, type Static } from 'typebox';
import { ERROR_STATUS } from './error-codes.js';

export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

export const Uuid = Type.String({ pattern: UUID_PATTERN, description: 'UUID, lower-case canonical form' });
export const Timestamp = Type.String({ format: 'date-time', description: 'ISO 8601 UTC with milliseconds' });

/** A profile's display name and avatar, on every object that shows a user (docs/API.md, "Profiles"). */
const DisplayName = Type.Union([Type.String(), Type.Null()], { description: 'the name to show, or null for none (show the username); addition' });
const AvatarUrl = Type.Union([Type.String(), Type.Null()], {
  description: 'a square WebP image, a path on this server that needs no token and never changes content (a new avatar has a new URL); null for none; addition',
});

export const User = Type.Object(
  {
    id: Uuid,
    username: Type.String(),
    created_at: Timestamp,
    is_bot: Type.Boolean({ description: 'a bot account (docs/API.md, "Bots"); addition' }),
    display_name: DisplayName,
    avatar_url: AvatarUrl,
    status_text: Type.Union([Type.String(), Type.Null()], { description: 'a short status the user set, or null; addition' }),
    deactivated: Type.Boolean({ description: 'an admin deactivated the account (docs/API.md, "Administration"): it cannot log in; its history stays; addition' }),
  },
  { title: 'User' },
);
export type User = Static<typeof User>;

export const Member = Type.Object(
  {
    user_id: Uuid,
    username: Type.String(),
    is_bot: Type.Boolean({ description: 'the member is a bot account; addition' }),
    display_name: DisplayName,
    avatar_url: AvatarUrl,
    role: Type.Union([Type.Literal('owner'), Type.Literal('admin'), Type.Literal('member')], { description: "the member's role in this conversation; 'admin' is an addition (docs/API.md, Conversation roles)" }),
    joined_at: Timestamp,
    last_read_seq: Type.Integer({ minimum: 0 }),
  },
  { title: 'Member' },
);
export type Member = Static<typeof Member>;
export type MemberRole = Member['role'];
/** Conversation roles, most powerful first (docs/API.md, "Conversation roles"). */
export const CONVERSATION_ROLES = ['owner', 'admin', 'member'] as const satisfies readonly MemberRole[];

export const Conversation = Type.Object(
  {
    id: Uuid,
    title: Type.String(),
    created_at: Timestamp,
    created_by: Uuid,
    last_seq: Type.Integer({ minimum: 0 }),
    /** The position of the conversation's latest event (docs/API.md, Change feed). */
    last_event_seq: Type.Integer({ minimum: 0 }),
    members: Type.Array(Member),
    /** The conversation's own retention period in days (docs/API.md, "Retention"); absent when it has none. */
    retention_days: Type.Optional(Type.Integer({ minimum: 1 })),
    /** Every message at or below this seq was deleted by retention; absent when none was. */
    expired_through_seq: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { title: 'Conversation' },
);
export type Conversation = Static<typeof Conversation>;

/** One emoji on a message and how many members reacted with it. */
export const ReactionCount = Type.Object(
  { emoji: Type.String({ description: 'one RGI emoji' }), count: Type.Integer({ minimum: 1 }) },
  { title: 'ReactionCount' },
);
export type ReactionCount = Static<typeof ReactionCount>;

/** A thread root's summary (docs/API.md, "Replies and threads"); null on a message nobody replied to in a thread. */
export const ThreadSummary = Type.Object(
  {
    reply_count: Type.Integer({ minimum: 1, description: 'replies posted in the thread, deleted ones included (they keep their seq)' }),
    last_reply_at: Timestamp,
    last_reply_id: Uuid,
  },
  { title: 'ThreadSummary' },
);
export type ThreadSummary = Static<typeof ThreadSummary>;

/**
 * A file attached to a message (docs/API.md, "Files and images"). `url` and `thumbnail_url` are
 * signed download links, valid until their `expires` parameter (Unix seconds): an `<img>` or a
 * download works without a token; after that, a fresh copy of the message (or GET /uploads/{id})
 * has fresh links.
 */
export const Attachment = Type.Object(
  {
    id: Uuid,
    /** As the uploader named it: display text only, never a path on the server. */
    filename: Type.String(),
    /** Determined by the server from the bytes, never taken from the client. */
    content_type: Type.String(),
    size: Type.Integer({ minimum: 1, description: 'bytes, as served' }),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'of the bytes served (for an image stripped of its metadata, of the stripped copy)' }),
    /** Images (PNG, JPEG, WebP, GIF) the server could read: displayed size in pixels, orientation applied; null otherwise. */
    width: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
    height: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
    url: Type.String({ description: 'signed link to the bytes, relative to the server' }),
    /** A WebP thumbnail fitting in 400×400 px, for images the server could read; null otherwise. */
    thumbnail_url: Type.Union([Type.String(), Type.Null()]),
    thumbnail_width: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
    thumbnail_height: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  },
  { title: 'Attachment' },
);
export type Attachment = Static<typeof Attachment>;

export const Message = Type.Object(
  {
    message_id: Uuid,
    conversation_id: Uuid,
    sender_id: Uuid,
    content: Type.String(),
    seq: Type.Integer({ minimum: 1 }),
    created_at: Timestamp,
    edited_at: Type.Union([Timestamp, Type.Null()]),
    deleted: Type.Boolean(),
    /** The event_seq of the message's last change: of two copies, the higher version is newer. */
    version: Type.Integer({ minimum: 0 }),
    /** The message this one quotes (a reply shown inline), or null (docs/API.md, "Replies and threads"). */
    reply_to_id: Type.Union([Uuid, Type.Null()]),
    /** The root of the thread this message was posted in, or null for a message of the conversation itself. */
    thread_root_id: Type.Union([Uuid, Type.Null()]),
    /** On a thread root: its replies' summary; null when nobody replied in a thread to it (and on every thread reply). */
    thread: Type.Union([ThreadSummary, Type.Null()]),
    /** Each emoji reacted with and how many reacted so, ordered by each emoji's first reaction (docs/API.md, "Reactions"). */
    reactions: Type.Array(ReactionCount),
    /**
     * The members named with `@username` in `content`, resolved by the server on send and edit:
     * user ids in order of first mention, no repeats, `[]` when none (docs/API.md, "Mentions").
     */
    mentions: Type.Array(Uuid),
    /** `@all` (or `@everyone`) in `content`, allowed by the mention policy: every member but the sender is mentioned. */
    mentions_all: Type.Boolean(),
    /** Files sent with the message, in the order sent; `[]` when none (docs/API.md, "Files and images"). */
    attachments: Type.Array(Attachment),
  },
  { title: 'Message' },
);
export type Message = Static<typeof Message>;

export const ConversationSummary = Type.Object(
  {
    ...Conversation.properties,
    last_message: Type.Union([Message, Type.Null()]),
    unread_count: Type.Integer({ minimum: 0 }),
    /** Present (true) when more messages follow the read position than the server counts: unread_count is then a lower bound. */
    unread_count_capped: Type.Optional(Type.Boolean()),
    /**
     * Of the unread messages (counted as unread_count is, within its cap), those that mention
     * you by name or with `@all` (docs/API.md, "Mentions").
     */
    unread_mentions: Type.Integer({ minimum: 0 }),
  },
  { title: 'ConversationSummary' },
);
export type ConversationSummary = Static<typeof ConversationSummary>;

/**
 * One invalid field of a refused request (an RFC 9457 extension member). `pointer` is an
 * RFC 6901 JSON Pointer into the body (`/content`, `/member_ids/2`), or into the query string
 * or path parameters (`/limit`); `detail` says what is wrong without echoing the value.
 */
export const FieldError = Type.Object(
  { pointer: Type.String(), detail: Type.String() },
  { title: 'FieldError' },
);
export type FieldError = Static<typeof FieldError>;

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String({ description: `Stable machine-readable error code, one of: ${Object.keys(ERROR_STATUS).join(', ')}` }),
    request_id: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(FieldError, { description: 'With invalid_request: one entry per invalid field' })),
  },
  { title: 'Problem', description: 'RFC 9457 problem details' },
);
export type Problem = Static<typeof Problem>;
