/**
 * Who may sign up (docs/API.md, "Registration and invites"): REGISTRATION=open lets anyone,
 * `invite` needs a live invite code, `closed` nobody (operators create accounts with
 * `npm run account -- create`). A code given under `open` is checked and used all the same, so a
 * link means the same thing whatever the setting.
 */
import type { RegistrationPolicy } from '@pneumatic/protocol';
import { nowIso } from '../clock.js';
import { AppError } from '../errors.js';
import type { InviteRefusal, InviteRepository } from '../ports/invite-repository.js';
import { hashToken } from '../security/tokens.js';

const REFUSALS: Record<InviteRefusal, string> = {
  unknown: 'This invite link is not valid: check that it was copied whole.',
  expired: 'This invite link has expired: ask for a new one.',
  used_up: 'This invite link has been used as many times as it allows: ask for a new one.',
};

/** The admission a sign-up holds: release it when the account could not be created. */
export interface Admission {
  release(): Promise<void>;
}

export async function admitSignUp(policy: RegistrationPolicy, invites: InviteRepository, code: string | undefined): Promise<Admission> {
  if (policy === 'closed') throw new AppError('registration_closed', 'This server is closed to sign-ups: ask its administrators for an account.');
  if (code === undefined) {
    if (policy === 'invite') throw new AppError('invite_required', 'Signing up on this server needs an invite link from someone already on it.');
    return { release: async () => {} };
  }
  const claimed = await invites.claim(hashToken(code.trim()), nowIso());
  if ('refused' in claimed) throw new AppError('invalid_invite', REFUSALS[claimed.refused]);
  return { release: () => invites.release(claimed.id) };
}
