import type { FrameHandler } from './handler.js';

export const handlePing: FrameHandler<'ping'> = async (_ctx, connection) => {
  connection.send({ type: 'pong' });
};
