/**
 * Wire types, taken from the server's own schemas (src/protocol) so SDK and server cannot
 * drift, plus the few response envelopes API.md describes around them.
 */
import type { Static } from 'typebox';
import type { ClientFrame, Conversation, ConversationSummary, CreateConversationBody, Credentials, ErrorCode, HistoryQuery, Member, Message, Problem, RequestSchemas, ServerFrame, User } from '@pneumatic/protocol';

export type { Conversation, ConversationSummary, Member, Message, Problem, User, ClientFrame, ServerFrame, ErrorCode };
export type { CreateConversationBody, Credentials, HistoryQuery };

export type ListConversationsQuery = Static<RequestSchemas['ListConversationsQuery']>;
export type SendToConversationBody = Static<RequestSchemas['SendToConversation']>;
export type SendMessageBody = Static<RequestSchemas['SendMessage']>;
export type LogoutQuery = Static<RequestSchemas['LogoutQuery']>;

/** `POST /users` and `POST /sessions`. */
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
}

/** A server frame of one type, e.g. `FrameOf<'ack'>`. */
export type FrameOf<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;
