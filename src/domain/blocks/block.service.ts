/**
 * Blocking (docs/API.md, "Blocking"): a user's own list of users they block. Listed and
 * reversible; what a block stops is block.policy.ts's, and the mention and push filters'.
 */
import { BLOCKS_MAX, type Block } from '@pneumatic/protocol';
import { nowIso } from '../clock.js';
import { AppError } from '../errors.js';
import type { Store } from '../ports/repositories.js';

export class BlockService {
  constructor(private readonly store: Store) {}

  /** Blocking someone already blocked changes nothing (the first time stays). */
  async block(callerId: string, userId: string): Promise<void> {
    if (userId === callerId) {
      throw new AppError('invalid_request', 'You cannot block yourself.', { errors: [{ pointer: '/user_id', detail: 'is you' }] });
    }
    if (!(await this.store.users.findById(userId))) throw new AppError('user_not_found', 'No user has this id.');
    const outcome = await this.store.blocks.block(callerId, userId, nowIso(), BLOCKS_MAX);
    if (outcome === 'too_many') throw new AppError('too_many_blocks', `You block ${BLOCKS_MAX} users already: unblock someone first.`);
  }

  /** Unblocking someone not blocked changes nothing. */
  async unblock(callerId: string, userId: string): Promise<void> {
    await this.store.blocks.unblock(callerId, userId);
  }

  list(callerId: string): Promise<Block[]> {
    return this.store.blocks.list(callerId);
  }
}
