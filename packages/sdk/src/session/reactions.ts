/**
 * Your reactions through a session: the request (HTTP: the socket has no reaction frame), then
 * your own reaction in local state at once. The count is left to the reaction's event, whose
 * `count` is the server's total (an increment here could count a reaction twice).
 */
import type { RestApi } from '../rest-api.js';
import type { ChatState } from '../state/chat-state.js';

export async function sendReaction(api: RestApi, state: ChatState, messageId: string, emoji: string, on: boolean): Promise<void> {
  if (on) await api.addReaction(messageId, emoji);
  else await api.removeReaction(messageId, emoji);
  // Only a message held in a window shows it; for any other one its event tells.
  const held = state.conversations().find((c) => state.messages(c.id).some((m) => m.message_id === messageId));
  if (held) state.reactionState.setOwn(held.id, messageId, emoji, on);
}
