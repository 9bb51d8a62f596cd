/**
 * A user who blocks a sender gets no push of their messages (docs/API.md, "Blocking"), whatever
 * their settings say. Applied to a round's decided recipients: one query for the round's
 * senders, which finds nothing on most rounds since blocks are rare.
 */
import type { BlockRepository } from '../domain/ports/block-repository.js';
import type { OutboxMessage, PushRecipient } from '../domain/ports/push-repository.js';

export async function withoutBlockers(messages: readonly OutboxMessage[], recipients: PushRecipient[][], blocks: Pick<BlockRepository, 'blocksOf'>): Promise<PushRecipient[][]> {
  const senders = [...new Set(messages.filter((_, i) => (recipients[i]?.length ?? 0) > 0).map((m) => m.sender_id))];
  if (senders.length === 0) return recipients;
  const rows = await blocks.blocksOf(senders);
  if (rows.length === 0) return recipients;
  const blocked = new Set(rows.map((r) => `${r.blocker_id} ${r.blocked_id}`));
  return recipients.map((list, i) => list.filter((r) => !blocked.has(`${r.user_id} ${messages[i]!.sender_id}`)));
}
