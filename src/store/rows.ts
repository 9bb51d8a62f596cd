/** Row → wire object mappers shared by the repositories. */
import type { Attachment, Message, ReactionCount, ServerRole, ThreadSummary, User } from '@pneumatic/protocol';

/** PostgreSQL returns timestamptz as Date, SQLite returns the ISO text it stored. */
export function toIso(value: Date | string): string {
  return typeof value === 'string' ? value : value.toISOString();
}

export function toIsoOrNull(value: Date | string | null): string | null {
  return value === null ? null : toIso(value);
}

/** The columns toUser reads, for `select`. */
export const USER_COLUMNS = ['id', 'username', 'created_at', 'is_bot', 'display_name', 'status_text', 'avatar_key', 'deactivated_at'] as const;

export interface UserRow {
  id: string;
  username: string;
  created_at: Date | string;
  is_bot: number | string | boolean;
  display_name: string | null;
  status_text: string | null;
  avatar_key: string | null;
  deactivated_at: Date | string | null;
}

/** An avatar's URL: its storage key as a path of this server (`/avatars/<random>.webp`, src/http/routes/avatars.routes.ts). */
export function avatarUrlOf(key: string | null): string | null {
  return key === null ? null : `/${key}`;
}

/** `is_bot` is 0/1 in both databases (a boolean in the in-memory fake). */
/** A stored server role; anything unknown reads as the least privileged. */
export function serverRoleOf(stored: string): ServerRole {
  return stored === 'admin' ? 'admin' : 'member';
}

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    created_at: toIso(row.created_at),
    is_bot: row.is_bot === true || Number(row.is_bot) === 1,
    display_name: row.display_name,
    avatar_url: avatarUrlOf(row.avatar_key),
    status_text: row.status_text,
    deactivated: row.deactivated_at !== null,
  };
}

export interface MessageRow {
  message_id: string;
  conversation_id: string;
  sender_id: string;
  content: string;
  seq: number;
  created_at: Date | string;
  edited_at: Date | string | null;
  deleted_at: Date | string | null;
  version: number;
  /** How many reactions it has, where the read selected it: reactions are read only for messages with some. */
  reaction_count?: number;
  /**
   * Replies and threads (migration 0008). Optional so a send's row built in code (a new message
   * with neither, the SQLite writer's) needs not spell them out; every row read from the
   * database has them.
   */
  reply_to_id?: string | null;
  thread_root_id?: string | null;
  thread_reply_count?: number;
  thread_last_reply_at?: Date | string | null;
  thread_last_reply_id?: string | null;
  /** JSON array text (migration 0007); absent where a read does not select it: no mentions. */
  mentions?: string;
  /** 1 (or true) when the message mentions everyone. */
  mentions_all?: number | boolean;
  /** JSON array text of its attachments, URLs unsigned (migration 0012); absent where a read does not select it: none. */
  attachments?: string;
}

/** The stored JSON text of a message's attachments; most messages have none, which costs no parse. */
export function parseAttachments(text: string | undefined): Attachment[] {
  return text === undefined || text === '[]' ? [] : (JSON.parse(text) as Attachment[]);
}

/** The stored JSON text of a mention list; most messages have none, which costs no parse. */
export function parseMentionIds(text: string | undefined): string[] {
  return text === undefined || text === '[]' ? [] : (JSON.parse(text) as string[]);
}

/** A message's reactions as stored: the counts, and the viewer's own where a read names one (never part of the Message). */
export interface MessageReactionState {
  reactions: ReactionCount[];
  my_reactions?: string[];
}

const NONE: MessageReactionState = { reactions: [] };

/**
 * The wire Message. `reactions` defaults to none, which is right only for a message just
 * created; a read of a stored message passes what `reactionsOf` found.
 */
export function toMessage(row: MessageRow, reactions: MessageReactionState = NONE): Message {
  return {
    message_id: row.message_id,
    conversation_id: row.conversation_id,
    sender_id: row.sender_id,
    content: row.content,
    seq: Number(row.seq),
    created_at: toIso(row.created_at),
    edited_at: toIsoOrNull(row.edited_at),
    deleted: row.deleted_at !== null,
    version: Number(row.version),
    reply_to_id: row.reply_to_id ?? null,
    thread_root_id: row.thread_root_id ?? null,
    thread: threadOf(row),
    reactions: reactions.reactions,
    mentions: parseMentionIds(row.mentions),
    mentions_all: row.mentions_all === 1 || row.mentions_all === true,
    attachments: parseAttachments(row.attachments),
  };
}

/** A root's thread summary; null while nobody replied in a thread to it. */
function threadOf(row: MessageRow): ThreadSummary | null {
  const count = Number(row.thread_reply_count ?? 0);
  if (count === 0 || !row.thread_last_reply_at || !row.thread_last_reply_id) return null;
  return { reply_count: count, last_reply_at: toIso(row.thread_last_reply_at), last_reply_id: row.thread_last_reply_id };
}
