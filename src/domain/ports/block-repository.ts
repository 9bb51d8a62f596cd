import type { Block } from '@pneumatic/protocol';

/** Who blocked whom (docs/API.md, "Blocking"). */
export interface BlockRepository {
  /**
   * Records that `blockerId` blocks `blockedId`: `already` when they did (the first time
   * stays), `too_many` when they block `max` users already.
   */
  block(blockerId: string, blockedId: string, at: string, max: number): Promise<'blocked' | 'already' | 'too_many'>;
  /** Whether there was a block to lift. */
  unblock(blockerId: string, blockedId: string): Promise<boolean>;
  /** Everyone `blockerId` blocks, most recent first. */
  list(blockerId: string): Promise<Block[]>;
  /** Which of `userIds` block `blockedId`. */
  blockersAmong(blockedId: string, userIds: readonly string[]): Promise<string[]>;
  /** Every block of any of `blockedIds` (a push round's senders): few rows, since blocks are rare. */
  blocksOf(blockedIds: readonly string[]): Promise<{ blocker_id: string; blocked_id: string }[]>;
}
