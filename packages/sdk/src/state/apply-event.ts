/**
 * Applies one change-feed event to {@link ChatState} ("set this thing to this state", so applying
 * it twice changes nothing) and says which session events it stands for. The session emits them
 * after the state is updated, so a listener reads the state with the event applied.
 */
import type { FeedEvent } from '../session/feed-event.js';
import type { Member } from '../types.js';
import type { SessionEvents } from '../session/session-events.js';
import type { ChatState } from './chat-state.js';

export type Emission = { [K in keyof SessionEvents]: { name: K; payload: SessionEvents[K] } }[keyof SessionEvents];

export interface ApplyContext {
  selfId: string;
  /**
   * Messages with a seq at or below this were seen by an earlier run (the `cursors` option):
   * neither shown again nor announced.
   */
  seenUpTo: number;
}

export function applyEvent(state: ChatState, event: FeedEvent, context: ApplyContext): Emission[] {
  switch (event.type) {
    case 'conversation.created':
      state.applyConversation(event.conversation);
      return [{ name: 'member.added', payload: { conversation: event.conversation, user_id: null } }];
    case 'conversation.updated':
      state.applyConversation(event.conversation);
      return [{ name: 'conversation.updated', payload: { conversation: event.conversation } }];
    case 'message.created':
      if (event.message.seq <= context.seenUpTo) return [];
      state.applyMessage(event.message);
      return [{ name: 'message', payload: event.message }];
    case 'message.edited':
    case 'message.deleted':
    case 'thread.updated':
      // A thread update is the root's new state (its thread summary), applied as an edit is.
      return state.applyUpdate(event.message) ? [{ name: 'message.updated', payload: event.message }] : [];
    case 'member.added':
    case 'member.removed':
    case 'member.updated':
      return applyMemberEvent(state, event, context.selfId);
    case 'reaction.added':
    case 'reaction.removed': {
      state.reactionState.apply(event);
      const { conversation_id, message_id, emoji, user_id, count } = event;
      return [{ name: event.type, payload: { conversation_id, message_id, emoji, user_id, count } }];
    }
    case 'message.pinned':
      state.pinned.pin(event.conversation_id, { message_id: event.message_id, pinned_by: event.user_id, pinned_at: event.at });
      return [];
    case 'message.unpinned':
      state.pinned.unpin(event.conversation_id, event.message_id);
      return [];
    case 'messages.expired':
      state.applyExpiry(event.conversation_id, event.through_seq);
      return [{ name: 'messages.expired', payload: { conversation_id: event.conversation_id, through_seq: event.through_seq } }];
  }
}

type MemberEvent = Extract<FeedEvent, { member: Member | null }>;

function applyMemberEvent(state: ChatState, event: MemberEvent, selfId: string): Emission[] {
  const id = event.conversation_id;
  // A member.added is a new membership, whose read position starts afresh: lower than one kept
  // from an earlier membership when someone left and was added again (positions otherwise only move forward).
  if (event.type === 'member.added' && event.member) state.restartMemberRead(id, event.user_id, event.member.last_read_seq);
  // A live member.added brings the whole conversation (it may be one you just joined).
  if (event.type === 'member.added' && event.conversation && event.member) state.applyConversation(event.conversation);
  else state.applyMember(id, event.user_id, event.member);
  const removed: Emission = { name: 'member.removed', payload: { conversation_id: id, user_id: event.user_id } };
  if (!event.member && event.user_id === selfId) return [removed];
  switch (event.type) {
    case 'member.added': {
      const conversation = state.conversation(id);
      return conversation ? [{ name: 'member.added', payload: { conversation, user_id: event.user_id } }] : [];
    }
    case 'member.removed':
      return [removed];
    case 'member.updated':
      return event.member ? [{ name: 'member.updated', payload: { conversation_id: id, member: event.member } }] : [];
  }
}
