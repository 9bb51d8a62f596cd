/**
 * What you may do to one message, by who sent it, your role in its conversation and your server
 * role (docs/API.md, "Conversation roles", "Moderation", "Reports"): the server's rules as the
 * message's buttons offer them, so a button shows only where the server would say yes. The
 * server still decides (roles change while a page is open) and its refusals are shown in words.
 */
import type { MemberRole, ServerRole } from '@pneumatic/client';
import { isManager } from './member-actions.js';

/**
 * Which delete a message's Delete button makes:
 * - `sender`: your own message (`DELETE /messages/{id}`);
 * - `manager`: someone else's, as an owner or admin of its conversation (the same route);
 * - `server-admin`: someone else's, as the server's admin where you are neither
 *   (`DELETE /admin/messages/{id}`, audited).
 */
export type DeleteAs = 'sender' | 'manager' | 'server-admin';

export interface MessageActions {
  /** Edit it: your own only. */
  edit: boolean;
  /** The delete offered, or none. */
  delete: DeleteAs | null;
  /** Report it to the server's admins: a member may report anyone's message but their own. */
  report: boolean;
}

export interface MessageContext {
  /** You sent it. */
  own: boolean;
  deleted: boolean;
  /** Your role in its conversation (undefined: not a member, or not known yet). */
  conversationRole: MemberRole | undefined;
  /** Your server role (null until the server has said). */
  serverRole: ServerRole | null;
}

const NOTHING: MessageActions = { edit: false, delete: null, report: false };

/**
 * The actions on one message. A deleted message has none. On someone else's, the conversation's
 * own delete comes first for its owners and admins (no audit entry, nothing admin-only used when
 * a member's right suffices); the server admin's delete is for conversations where they are not.
 */
export function messageActions({ own, deleted, conversationRole, serverRole }: MessageContext): MessageActions {
  if (deleted) return NOTHING;
  if (own) return { edit: true, delete: 'sender', report: false };
  const deleteAs: DeleteAs | null = isManager(conversationRole) ? 'manager' : serverRole === 'admin' ? 'server-admin' : null;
  // Reporting needs membership (403 not_member otherwise).
  return { edit: false, delete: deleteAs, report: conversationRole !== undefined };
}
