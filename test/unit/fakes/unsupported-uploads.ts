/**
 * Uploads are not modelled in memory: their rules (attach against the clean-up job, quota, who
 * may read) are tested on the real stores and servers (test/uploads/). A unit test that reaches
 * them fails loudly rather than passing on a guess.
 */
import type { CleanupCandidate, UploadRecord, UploadRepository } from '../../../src/domain/ports/upload-repository.js';

const unsupported = (): never => {
  throw new Error('uploads are not modelled by the in-memory store');
};

export class UnsupportedUploadRepository implements UploadRepository {
  createPending(): Promise<void> {
    return unsupported();
  }
  markReady(): Promise<boolean> {
    return unsupported();
  }
  find(): Promise<UploadRecord | null> {
    return unsupported();
  }
  usedBytes(): Promise<number> {
    return unsupported();
  }
  readableBy(): Promise<boolean> {
    return unsupported();
  }
  reachable(): Promise<boolean> {
    return unsupported();
  }
  attachable(): Promise<UploadRecord[]> {
    return unsupported();
  }
  cleanupCandidates(): Promise<CleanupCandidate[]> {
    return unsupported();
  }
  claimForDeletion(): Promise<boolean> {
    return unsupported();
  }
  remove(): Promise<void> {
    return unsupported();
  }
  secret(): Promise<string> {
    return unsupported();
  }
}
