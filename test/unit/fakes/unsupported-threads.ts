/**
 * Threads are not modelled in memory: their rules (one transaction under the conversation's lock)
 * are tested on the real stores (test/store/threads-contract.test.ts, test/http/threads.routes.test.ts).
 * A unit test that reaches them fails loudly rather than passing on a guess.
 */
import type { FollowedThread, HistoryPageJson, ReplyOutcome, ThreadRepository } from '../../../src/domain/ports/repositories.js';

const unsupported = (): never => {
  throw new Error('threads are not modelled by the in-memory store');
};

export class UnsupportedThreadRepository implements ThreadRepository {
  appendReply(): Promise<ReplyOutcome> {
    return unsupported();
  }

  pageJson(): Promise<HistoryPageJson> {
    return unsupported();
  }

  markRead(): Promise<{ last_read_seq: number; moved: boolean }> {
    return unsupported();
  }

  setFollowing(): Promise<void> {
    return unsupported();
  }

  followed(): Promise<FollowedThread[]> {
    return unsupported();
  }
}
