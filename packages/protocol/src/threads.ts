/**
 * Replies and threads (docs/API.md, "Replies and threads"): the wire shapes of the thread routes,
 * shared by the server, the SDK and the web app.
 */
import { Type, type Static } from 'typebox';
import { Message, Uuid } from './models.js';

/** `GET /messages/{id}/thread`: the root as it is now and a page of its replies, ascending by seq (as a history page). */
export const ThreadPage = Type.Object(
  { root: Message, messages: Type.Array(Message), has_more: Type.Boolean() },
  { title: 'ThreadPage' },
);
export type ThreadPage = Static<typeof ThreadPage>;

/** The caller's position in one thread: the answer of `POST /messages/{id}/thread/read`, and a part of `ThreadState`. */
export const ThreadReadPosition = Type.Object(
  {
    message_id: Uuid,
    conversation_id: Uuid,
    last_read_seq: Type.Integer({ minimum: 0, description: "the seq of the last reply read (your own replies count as read)" }),
  },
  { title: 'ThreadReadPosition' },
);
export type ThreadReadPosition = Static<typeof ThreadReadPosition>;

/** One thread the caller follows (`GET /threads`). */
export const ThreadState = Type.Object(
  {
    root: Message,
    last_read_seq: Type.Integer({ minimum: 0 }),
    unread_count: Type.Integer({ minimum: 0, description: "replies after last_read_seq by others, deleted ones excluded" }),
  },
  { title: 'ThreadState' },
);
export type ThreadState = Static<typeof ThreadState>;

export const FollowedThreads = Type.Object({ threads: Type.Array(ThreadState) }, { title: 'FollowedThreads' });
export type FollowedThreads = Static<typeof FollowedThreads>;
