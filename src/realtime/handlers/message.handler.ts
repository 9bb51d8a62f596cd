import type { FrameHandler } from './handler.js';

/** Same as POST /messages; the sending connection gets the ack once the message is committed. */
export const handleMessage: FrameHandler<'message'> = async ({ services, metrics }, connection, frame) => {
  const stop = metrics.sendDuration.startTimer({ transport: 'ws' });
  const { message } = await services.messages.send(connection.userId, frame);
  stop();
  connection.send({ type: 'ack', message_id: message.message_id, message });
};
