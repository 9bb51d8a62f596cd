import type { Connection } from '../connection.js';
import type { FrameHandler } from './handler.js';

/**
 * Reports in flight per connection: a report waits for the one before it, so a device's
 * reports apply in the order it sent them even when checking one takes longer (a membership
 * not cached). An entry only while reports are in flight: nothing on an idle connection.
 */
const inFlight = new WeakMap<Connection, Promise<unknown>>();

/**
 * The device's activity and the conversation open and visible on it (docs/API.md, "Presence").
 * A `viewing` of a conversation the user is not a member of is refused (404 / 403 not_member)
 * and nothing of the frame is kept. No answer otherwise.
 */
export const handleActivity: FrameHandler<'activity'> = ({ services, presence }, connection, frame) => {
  const apply = async () => {
    if (frame.viewing !== null) await services.presence.checkViewing(connection.userId, frame.viewing);
    presence.activity(connection, frame.state, frame.viewing);
  };
  const previous = inFlight.get(connection);
  const result = previous ? previous.then(apply, apply) : apply();
  const settled = result.catch(() => {});
  inFlight.set(connection, settled);
  void settled.then(() => {
    if (inFlight.get(connection) === settled) inFlight.delete(connection);
  });
  return result;
};
