import type { FrameHandler } from './handler.js';

/** Same as POST /conversations/{id}/read. */
export const handleRead: FrameHandler<'read'> = async ({ services }, connection, frame) => {
  await services.conversations.markRead(connection.userId, frame.conversation_id, frame.seq);
};
