/**
 * Who may mention everyone (`@all`, `@everyone`): docs/API.md, "Mentions". A send and an edit
 * are checked alike, so an edit cannot add what a send could not.
 */
import { roleMay } from './conversation.policy.js';
import { AppError } from './errors.js';
import type { MemberRole } from '@pneumatic/protocol';

/**
 * An owner or admin always may; any other member only in a conversation of at most `maxMembers`
 * members (MENTION_ALL_MAX_MEMBERS). Otherwise 403 mention_all_forbidden.
 */
export function requireMayMentionAll(role: MemberRole, memberCount: number, maxMembers: number): void {
  if (roleMay(role, 'mention_everyone') || memberCount <= maxMembers) return;
  throw new AppError(
    'mention_all_forbidden',
    `Only an owner or admin may mention everyone in a conversation of more than ${maxMembers} members.`,
  );
}
