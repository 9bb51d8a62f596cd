/**
 * Message removals (docs/API.md, "Administration", Removing a user's messages): an admin removes
 * all of one user's messages in a time window, as a background job whose progress they read.
 * Without server code, so the SDK and the web app share the names.
 */
import { Type, type Static } from 'typebox';
import { ADMIN_PAGE_DEFAULT, ADMIN_PAGE_MAX } from './admin.js';
import { Timestamp, Uuid } from './models.js';

export const MESSAGE_REMOVAL_STATUSES = ['running', 'done', 'failed'] as const;
export type MessageRemovalStatus = (typeof MESSAGE_REMOVAL_STATUSES)[number];

/** POST /admin/users/{user_id}/message-removals: the window, `from` inclusive, `to` exclusive; either may be left out. */
export const StartMessageRemoval = Type.Object(
  {
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
  },
  { additionalProperties: false, title: 'StartMessageRemoval' },
);
export type StartMessageRemoval = Static<typeof StartMessageRemoval>;

/** One removal job and how far it got. */
export const MessageRemoval = Type.Object(
  {
    id: Uuid,
    user_id: Uuid,
    requested_by: Uuid,
    from: Type.Union([Timestamp, Type.Null()], { description: 'messages created at or after it; null: from the first' }),
    to: Type.Union([Timestamp, Type.Null()], { description: 'messages created before it; null: up to when the removal was started' }),
    status: Type.Union([Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
    removed: Type.Integer({ minimum: 0, description: 'messages deleted so far' }),
    total: Type.Integer({ minimum: 0, description: 'messages the window held when the removal started' }),
    created_at: Timestamp,
    updated_at: Timestamp,
    finished_at: Type.Union([Timestamp, Type.Null()]),
    error: Type.Optional(Type.String({ description: 'why a failed removal stopped' })),
  },
  { title: 'MessageRemoval' },
);
export type MessageRemoval = Static<typeof MessageRemoval>;

export const MessageRemovalList = Type.Object(
  { removals: Type.Array(MessageRemoval), next_cursor: Type.Union([Type.String(), Type.Null()]) },
  { title: 'MessageRemovalList' },
);
export type MessageRemovalList = Static<typeof MessageRemovalList>;

/** GET /admin/message-removals: newest first, optionally of one user. */
export const MessageRemovalsQuery = Type.Object(
  {
    user_id: Type.Optional(Uuid),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: ADMIN_PAGE_MAX, default: ADMIN_PAGE_DEFAULT })),
  },
  { additionalProperties: false, title: 'MessageRemovalsQuery' },
);
export type MessageRemovalsQuery = Static<typeof MessageRemovalsQuery>;
