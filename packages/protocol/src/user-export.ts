/** GET /users/me/export (docs/API.md, "Your data"): a user's own data as one JSON document. */
import { Type, type Static } from 'typebox';
import { Block } from './blocks.js';
import { Conversation, Message, Timestamp, User } from './models.js';

export const UserExport = Type.Object(
  {
    format: Type.Literal('pneumatic-user-export'),
    version: Type.Literal(1),
    exported_at: Timestamp,
    user: User,
    blocks: Type.Array(Block),
    /** The conversations you are in, with their members (your role and read position among them). */
    conversations: Type.Array(Conversation),
    /** Every message you sent in them, conversation by conversation, ascending by seq. */
    messages: Type.Array(Message),
  },
  { title: 'UserExport' },
);
export type UserExport = Static<typeof UserExport>;
