/**
 * The change feed's event types (docs/API.md, "Change feed"), which are also what an outgoing
 * webhook subscribes to. Without TypeBox, so the SDK and the web app can list them at no bundle cost.
 */
export const ConversationEventTypes = [
  'conversation.created',
  'conversation.updated',
  'message.created',
  'message.edited',
  'message.deleted',
  'member.added',
  'member.removed',
  'member.updated',
  'reaction.added',
  'reaction.removed',
  'message.pinned',
  'message.unpinned',
  'thread.updated',
  'messages.expired',
] as const;
export type ConversationEventType = (typeof ConversationEventTypes)[number];
