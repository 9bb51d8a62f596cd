import type { FrameHandler } from './handler.js';

/** Confirms membership and tells the client the conversation's last seq, to catch up from. */
export const handleJoin: FrameHandler<'join'> = async ({ services }, connection, frame) => {
  const conversationId = frame.conversation_id.toLowerCase();
  const { last_seq } = await services.conversations.join(connection.userId, conversationId);
  connection.send({ type: 'joined', conversation_id: conversationId, last_seq });
};
