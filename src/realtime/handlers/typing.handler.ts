import type { FrameHandler } from './handler.js';

/** Relayed to the other members' connections; nothing is stored. */
export const handleTyping: FrameHandler<'typing'> = async ({ services }, connection, frame) => {
  await services.conversations.typing(connection.userId, frame.conversation_id);
};
