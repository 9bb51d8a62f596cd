/**
 * Pins (docs/API.md, "Pins"): the wire shapes of a conversation's pinned messages. A pin belongs
 * to the conversation, not to a message: Message keeps its shape (history pages are written as
 * JSON by the database), and who pinned what is `GET /conversations/{id}/pins`, the
 * message.pinned / message.unpinned events, and `pins` in a sync snapshot.
 */
import { Type, type Static } from 'typebox';
import { Message, Timestamp, Uuid } from './models.js';

/** A pin without its message: what the change feed's snapshots and the SDK's state keep. */
export const PinRef = Type.Object(
  { message_id: Uuid, pinned_by: Uuid, pinned_at: Timestamp },
  { title: 'PinRef' },
);
export type PinRef = Static<typeof PinRef>;

/** A pin with the pinned message as it is now. */
export const Pin = Type.Object(
  { message: Message, pinned_by: Uuid, pinned_at: Timestamp },
  { title: 'Pin' },
);
export type Pin = Static<typeof Pin>;

/** `GET /conversations/{id}/pins`: newest pin first. */
export const ConversationPins = Type.Object({ pins: Type.Array(Pin, { description: 'newest pin first' }) }, { title: 'ConversationPins' });
export type ConversationPins = Static<typeof ConversationPins>;
