/**
 * What a block stops (docs/API.md, "Blocking"): the blocked user cannot put the blocker into a
 * conversation, neither a new one nor one they are in. Mentions and pushes are filtered where
 * they are decided (mention-resolution.ts, push-recipients.ts).
 */
import { AppError } from '../errors.js';
import type { Store } from '../ports/repositories.js';

/** 403 blocked when any of `userIds` blocks the caller; one query, none for an empty list. */
export async function requireNotBlockedBy(store: Store, callerId: string, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  const blockers = await store.blocks.blockersAmong(callerId, userIds);
  if (blockers.length === 0) return;
  throw new AppError('blocked', userIds.length === 1 ? 'This user does not accept conversations with you.' : `${blockers.length} of these users do not accept conversations with you.`);
}
