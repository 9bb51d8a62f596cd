import type { FrameHandler } from './handler.js';

/** Same as POST /messages; the sending connection gets the ack once the message is committed. */
export const handleMessage: FrameHandler<'message'> = async ({ services, metrics }, connection, frame) => {
  // Only the frame's own fields: anything else in it (e.g. a sender_id) is not ours to trust.
  const { message_id, conversation_id, content, reply_to_id, thread_root_id, attachments } = frame;
  const input = { message_id, conversation_id, content, reply_to_id, thread_root_id, attachments };
  const { message } = await metrics.timeSend('ws', () => services.messages.send(connection.userId, input));
  connection.send({ type: 'ack', message_id: message.message_id, message });
};
