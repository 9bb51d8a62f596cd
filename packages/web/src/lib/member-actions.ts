/**
 * What you may do in a conversation and to each of its members, by your role and theirs
 * (docs/API.md, "Conversation roles"): the server's permission table as the app offers it, so a
 * button shows only where the server would say yes. The server still decides (roles can change
 * while a panel is open), and its refusals are shown in words (errors.ts).
 */
import type { MemberRole } from '@pneumatic/client';

/**
 * Most powerful first, as protocol's CONVERSATION_ROLES (not imported: it sits among the wire
 * schemas, whose module would bring the schema library into the first-load JavaScript).
 */
const ROLES: readonly MemberRole[] = ['owner', 'admin', 'member'];

/** How a role reads as a badge and in a button ("Make admin"). */
export const ROLE_NAMES: Record<MemberRole, string> = { owner: 'owner', admin: 'admin', member: 'member' };

export interface MemberActions {
  /** The roles you may give them, most powerful first: only an owner changes roles, their own too. */
  roles: MemberRole[];
  /** Remove them from the conversation (for yourself there is Leave instead). */
  remove: boolean;
  /** Block or unblock them: anyone but yourself. */
  block: boolean;
}

/** Owners and admins rename, remove members and delete others' messages. */
export function isManager(role: MemberRole | undefined): boolean {
  return role === 'owner' || role === 'admin';
}

/** Whether you may rename the conversation: owners and admins. */
export function mayRename(role: MemberRole | undefined): boolean {
  return isManager(role);
}

/**
 * The actions on one member for a caller with `callerRole` (undefined: not a member, nothing).
 * An owner removes anyone; an admin only plain members, so that an admin cannot take a
 * conversation over by removing its owners.
 */
export function memberActions(callerRole: MemberRole | undefined, targetRole: MemberRole, isSelf: boolean): MemberActions {
  const roles = callerRole === 'owner' ? ROLES.filter((role) => role !== targetRole) : [];
  const remove = !isSelf && (callerRole === 'owner' || (callerRole === 'admin' && targetRole === 'member'));
  return { roles, remove, block: !isSelf };
}

/** Whether `memberActions` offers anything: the member's menu button shows only then. */
export function hasActions(actions: MemberActions): boolean {
  return actions.roles.length > 0 || actions.remove || actions.block;
}
