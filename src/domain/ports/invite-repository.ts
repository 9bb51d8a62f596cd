/** Invite links (docs/API.md, "Registration and invites"). */
import type { Invite } from '@pneumatic/protocol';

export interface NewInvite {
  id: string;
  token_hash: string;
  created_by: string;
  created_at: string;
  expires_at: string;
  max_uses: number;
}

/** Why a code did not admit a sign-up. */
export type InviteRefusal = 'unknown' | 'expired' | 'used_up';

export interface InviteRepository {
  create(invite: NewInvite): Promise<Invite>;
  /** The user's invites not expired at `now`, newest first. */
  listFor(userId: string, now: string): Promise<Invite[]>;
  /** Deletes the user's invite; false when they have no such invite. */
  revoke(id: string, userId: string): Promise<boolean>;
  /**
   * Takes one use of the invite with this code hash, atomically (concurrent claims never take
   * more than max_uses): its id, or why not.
   */
  claim(tokenHash: string, now: string): Promise<{ id: string } | { refused: InviteRefusal }>;
  /** Gives a claimed use back (the sign-up it was for failed). */
  release(id: string): Promise<void>;
}
