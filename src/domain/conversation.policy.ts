/**
 * Who may do what in a conversation. Every service method that touches a conversation
 * starts with one of these, so HTTP and WebSocket cannot drift apart.
 */
import { AppError, notFound, notMember } from './errors.js';
import type { Membership, Store } from './ports/repositories.js';

/** The caller's membership; 404 when the conversation does not exist, 403 when not a member. */
export async function requireMembership(store: Store, conversationId: string, userId: string): Promise<Membership> {
  const membership = await store.conversations.membership(conversationId, userId);
  if (membership) return membership;
  if (!(await store.conversations.exists(conversationId))) throw notFound('Conversation');
  throw notMember();
}

/**
 * The conversation's member ids, after checking the caller is one of them. Senders use this
 * so the audience is known before the commit and the event goes out right after it.
 */
export async function requireMemberIds(store: Store, conversationId: string, userId: string): Promise<string[]> {
  const memberIds = await store.conversations.memberIds(conversationId, userId);
  if (memberIds.includes(userId)) return memberIds;
  if (memberIds.length === 0 && !(await store.conversations.exists(conversationId))) throw notFound('Conversation');
  throw notMember();
}

/**
 * Who may pin and unpin a message (docs/API.md, "Pins"): any member, as in Slack. A pin is the
 * conversation's, not its pinner's, so any member may also unpin what another pinned; former
 * members and outsiders may do neither (403 not_member, 404 for no such conversation). Returns
 * the member ids, the audience of the change. An owners-only rule would be decided here.
 */
export function requireMayPin(store: Store, conversationId: string, userId: string): Promise<string[]> {
  return requireMemberIds(store, conversationId, userId);
}

/** Anyone may remove themselves; only an owner may remove someone else. */
export function requireMayRemove(caller: Membership, callerId: string, targetId: string): void {
  if (callerId !== targetId && caller.role !== 'owner') {
    throw new AppError('not_owner', 'Only an owner may remove other members.');
  }
}

/** Only an owner may rename a conversation. */
export function requireMayRename(caller: Membership): void {
  if (caller.role !== 'owner') throw new AppError('not_owner', 'Only an owner may rename this conversation.');
}

/** Only the sender may edit a message. */
export function requireMayEdit(senderId: string, callerId: string): void {
  if (senderId !== callerId) throw new AppError('not_sender', 'Only the sender may edit this message.');
}

/** The sender or an owner of the conversation may delete a message. */
export function requireMayDelete(senderId: string, callerId: string, caller: Membership): void {
  if (senderId !== callerId && caller.role !== 'owner') {
    throw new AppError('not_sender', 'Only the sender or an owner may delete this message.');
  }
}
