import type { FrameHandler } from './handler.js';

/** Confirms membership and tells the client where the conversation stands, to catch up from. */
export const handleJoin: FrameHandler<'join'> = async ({ services }, connection, frame) => {
  const { last_seq, last_event_seq } = await services.conversations.join(connection.userId, frame.conversation_id);
  connection.send({ type: 'joined', conversation_id: frame.conversation_id, last_seq, last_event_seq });
};
