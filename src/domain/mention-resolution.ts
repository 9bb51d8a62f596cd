/**
 * Resolves the mentions written in a message's content into what is stored with it: member ids
 * and `@all`, under the mention policy. Called by sends and edits alike.
 */
import type { MemberRole } from '@pneumatic/protocol';
import { requireMayMentionAll } from './mention.policy.js';
import { lookupKeys, mentionedMembers, parseMentions } from './mentions.js';
import { NO_MENTIONS, type MessageMentions, type Store } from './ports/repositories.js';

export interface MentionContext {
  conversationId: string;
  callerId: string;
  /** The conversation's members, the caller among them. */
  memberIds: readonly string[];
  /** The caller's role, when known; read only if the policy needs it. */
  role?: MemberRole;
  /** An edit of a message that already mentions everyone may keep `@all` (it notifies nobody new). */
  alreadyAll?: boolean;
}

/**
 * Content without `@` costs one `includes` and no query; with names, one query for their users
 * (mentions of non-members and unknown names are dropped); with `@all`, the policy, which reads
 * the caller's role only in a conversation above MENTION_ALL_MAX_MEMBERS.
 */
export async function resolveMentions(store: Store, content: string, context: MentionContext, mentionAllMaxMembers: number): Promise<MessageMentions> {
  const parsed = parseMentions(content);
  if (parsed.names.length === 0 && !parsed.all) return NO_MENTIONS;
  if (parsed.all && !context.alreadyAll && context.memberIds.length > mentionAllMaxMembers) {
    const role = context.role ?? (await store.conversations.membership(context.conversationId, context.callerId))?.role ?? 'member';
    requireMayMentionAll(role, context.memberIds.length, mentionAllMaxMembers);
  }
  if (parsed.names.length === 0) return { mentions: [], mentions_all: parsed.all };
  const ids = await store.users.idsByUsernameKeys(lookupKeys(parsed.names));
  const mentioned = mentionedMembers(parsed.names, ids, new Set(context.memberIds));
  // A member who blocks the sender is not mentioned by them (docs/API.md, "Blocking").
  const blockers = mentioned.length === 0 ? [] : await store.blocks.blockersAmong(context.callerId, mentioned);
  const mentions = blockers.length === 0 ? mentioned : mentioned.filter((id) => !blockers.includes(id));
  return { mentions, mentions_all: parsed.all };
}
