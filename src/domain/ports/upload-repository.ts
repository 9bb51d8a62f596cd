/** Uploads as the store keeps them (migration 0012; docs/API.md, "Files and images"). */

export type UploadStatus = 'pending' | 'ready' | 'deleting';

/** What is learnt once the bytes are stored and inspected. */
export interface UploadFacts {
  content_type: string;
  size: number;
  sha256: string;
  width: number | null;
  height: number | null;
  thumbnail_width: number | null;
  thumbnail_height: number | null;
  /** Bytes of the thumbnail (served without asking storage for its size). */
  thumbnail_size: number | null;
  /** The served bytes are a copy stripped of metadata (stored under its own key). */
  cleaned: boolean;
}

/** An upload: its facts once ready (`sha256` null while pending). */
export interface UploadRecord extends Omit<UploadFacts, 'sha256'> {
  id: string;
  owner_id: string;
  filename: string;
  sha256: string | null;
  status: UploadStatus;
  attached: boolean;
  created_at: string;
}

/** What the clean-up job may delete, and why (docs/API.md, "Clean-up"). */
export interface CleanupCandidate {
  id: string;
  status: UploadStatus;
}

export interface UploadRepository {
  /** Records an upload about to be stored: invisible (`pending`) until markReady. */
  createPending(upload: { id: string; owner_id: string; filename: string; created_at: string }): Promise<void>;
  /**
   * Makes a pending upload `ready` with its facts, unless the owner's ready uploads would then
   * take more than `quotaBytes`: then false, and it stays pending (the caller removes it).
   */
  markReady(id: string, facts: UploadFacts, quotaBytes: number): Promise<boolean>;
  find(id: string): Promise<UploadRecord | null>;
  /** Bytes the owner's ready uploads take. */
  usedBytes(ownerId: string): Promise<number>;
  /**
   * Whether `userId` may read the ready upload: its owner while no message attached it, or a
   * member of a conversation where a message (not deleted) attaches it.
   */
  readableBy(id: string, userId: string): Promise<boolean>;
  /**
   * Whether anyone may still read the ready upload (not attached yet, or attached by a message
   * not deleted): what a signed link needs, since it names no user.
   */
  reachable(id: string): Promise<boolean>;
  /** The uploads of `ids` that are `ownerId`'s and ready; what a send may attach. */
  attachable(ids: readonly string[], ownerId: string): Promise<UploadRecord[]>;
  /**
   * Up to `limit` uploads to clean up: ready ones never attached and created before
   * `orphanCutoff`; ready ones attached once and attached by no message now; pending ones
   * created before `pendingCutoff` (an upload cut off by a crash); and `deleting` ones (a
   * deletion a crash interrupted).
   */
  cleanupCandidates(orphanCutoff: string, pendingCutoff: string, limit: number): Promise<CleanupCandidate[]>;
  /**
   * Takes a candidate for deletion (status `deleting`) if it still is one, atomically against a
   * send attaching it: afterwards no send can attach it. False when it is not (any more).
   */
  claimForDeletion(candidate: CleanupCandidate, orphanCutoff: string, pendingCutoff: string): Promise<boolean>;
  /** Removes an upload's row: its bytes are already deleted. */
  remove(id: string): Promise<void>;
  /**
   * The secret stored under `name`, shared by every process on the database: the first caller's
   * `generated` value is kept, later ones read it.
   */
  secret(name: string, generated: string): Promise<string>;
}
