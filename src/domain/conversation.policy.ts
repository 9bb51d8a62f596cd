/**
 * Who may do what in a conversation. Every service method that touches a conversation
 * starts with one of these, so HTTP and WebSocket cannot drift apart.
 */
import { AppError, notFound, notMember } from './errors.js';
import type { MemberRole } from '@pneumatic/protocol';
import type { Membership, Store } from './ports/repositories.js';

/**
 * The caller's membership; 404 when the conversation does not exist, 403 when not a member.
 * `fresh` when a permission depends on the role: see ConversationRepository.membership.
 */
export async function requireMembership(store: Store, conversationId: string, userId: string, fresh = false): Promise<Membership> {
  const membership = await store.conversations.membership(conversationId, userId, fresh);
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

/**
 * What each conversation role may do (docs/API.md, "Conversation roles", which shows this table).
 * Everything not listed is any member's: read, send, react, reply, pin and unpin, add members,
 * mark read. Editing stays the sender's alone, whatever their role.
 */
export const ROLE_PERMISSIONS = {
  /** PATCH /conversations/{id}. */
  rename: ['owner', 'admin'],
  /** Remove someone else; an admin only members (see requireMayRemove). */
  remove_members: ['owner', 'admin'],
  /** Delete someone else's message. */
  delete_others_messages: ['owner', 'admin'],
  /** `@all` in a conversation above MENTION_ALL_MAX_MEMBERS (mention.policy.ts). */
  mention_everyone: ['owner', 'admin'],
  /** Subscribe outgoing webhooks to the conversation; revoke others' incoming webhooks. */
  manage_webhooks: ['owner', 'admin'],
  /** PATCH /conversations/{id}/members/{user_id}. */
  change_roles: ['owner'],
  /** PUT /conversations/{id}/retention: deletes history for everyone, so owners only. */
  set_retention: ['owner'],
} as const satisfies Record<string, readonly MemberRole[]>;

export type ConversationAction = keyof typeof ROLE_PERMISSIONS;

export function roleMay(role: MemberRole, action: ConversationAction): boolean {
  return (ROLE_PERMISSIONS[action] as readonly MemberRole[]).includes(role);
}

/** 403 not_owner (the code v1 gives when only an owner may) unless the role may. */
export function requireRoleMay(caller: Membership, action: ConversationAction, detail: string): void {
  if (!roleMay(caller.role, action)) throw new AppError('not_owner', detail);
}

/**
 * Anyone may remove themselves; an owner anyone; an admin members but not owners or other
 * admins, so an admin cannot take over a conversation by removing its owners. `target` null
 * (not a member) is left to the removal, which answers 404.
 */
export function requireMayRemove(caller: Membership, callerId: string, targetId: string, target: Membership | null): void {
  if (callerId === targetId) return;
  requireRoleMay(caller, 'remove_members', 'Only an owner or admin may remove other members.');
  if (caller.role !== 'owner' && target !== null && target.role !== 'member') {
    throw new AppError('not_owner', 'An admin may remove members; only an owner may remove an owner or admin.');
  }
}

/** Owners and admins may rename a conversation. */
export function requireMayRename(caller: Membership): void {
  requireRoleMay(caller, 'rename', 'Only an owner or admin may rename this conversation.');
}

/** Only owners change roles (their own too, while another owner remains). */
export function requireMayChangeRoles(caller: Membership): void {
  requireRoleMay(caller, 'change_roles', "Only an owner may change members' roles.");
}

/** Only owners set a conversation's retention period (docs/API.md, "Retention"). */
export function requireMaySetRetention(caller: Membership): void {
  requireRoleMay(caller, 'set_retention', "Only an owner may set this conversation's retention.");
}

/** Only the sender may edit a message. */
export function requireMayEdit(senderId: string, callerId: string): void {
  if (senderId !== callerId) throw new AppError('not_sender', 'Only the sender may edit this message.');
}

/** The sender, or an owner or admin of the conversation, may delete a message. */
export function requireMayDelete(senderId: string, callerId: string, caller: Membership): void {
  if (senderId !== callerId && !roleMay(caller.role, 'delete_others_messages')) {
    throw new AppError('not_sender', 'Only the sender or an owner or admin may delete this message.');
  }
}
