import type { BusEvent } from '../domain/ports/events.js';
import type { ConnectionRegistry } from './connection-registry.js';

/**
 * Delivers bus events to this process's connections. Each frame is serialized once and the
 * same string goes to every recipient socket.
 */
export function deliverLocally(registry: ConnectionRegistry, event: BusEvent): void {
  if (event.kind === 'close-sessions') {
    for (const sessionId of event.session_ids) {
      for (const connection of [...(registry.forSession(sessionId) ?? [])]) connection.close(event.code, event.reason);
    }
    return;
  }
  let text: string | undefined;
  for (const userId of event.user_ids) {
    if (userId === event.except_user_id) continue;
    const connections = registry.forUser(userId);
    if (!connections) continue;
    text ??= JSON.stringify(event.frame);
    for (const connection of connections) connection.sendText(text);
  }
}
