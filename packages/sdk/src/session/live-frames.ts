/**
 * Live frames that are not conversation events (docs/API.md, "Live frames carry their position"):
 * read positions, thread read positions, typing, your notification settings and your profile. They are
 * applied to local state as they come (or, during a sync, once it is applied); those about your
 * own state carry a user_seq, which the session watches for a jump.
 */
import type { ChatState } from '../state/chat-state.js';
import type { ServerFrame } from '../types.js';

export interface LiveFrameDeps {
  state: ChatState;
  selfId: string;
  /** A user_seq seen: one past the next means a change of yours was missed (the session syncs). */
  noteUserSeq(userSeq: number): void;
  /** Someone else is typing (your own devices are never told you are). */
  typing(conversationId: string, userId: string): void;
}

export function applyLiveFrame(frame: ServerFrame, deps: LiveFrameDeps): void {
  const { state } = deps;
  switch (frame.type) {
    case 'read':
      if (frame.user_seq !== undefined) deps.noteUserSeq(frame.user_seq);
      state.applyRead(frame.conversation_id, frame.user_id, frame.seq);
      return;
    case 'thread.read':
      state.threads.read(frame.conversation_id, frame.message_id, frame.seq);
      return;
    case 'typing':
      if (frame.user_id === deps.selfId) return;
      state.applyTyping(frame.conversation_id, frame.user_id);
      deps.typing(frame.conversation_id, frame.user_id);
      return;
    case 'notification_settings':
      deps.noteUserSeq(frame.user_seq);
      state.notificationSettings.applyFrame(frame);
      return;
    case 'user.updated':
      deps.noteUserSeq(frame.user_seq);
      state.users.applyOwn(frame.user, frame.user_seq);
      return;
  }
}
