/**
 * Invite links (docs/API.md, "Registration and invites"): a person makes a link that lets a
 * given number of people sign up until it expires. The code is shown once; only its hash is kept.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { INVITE_CODE_PREFIX, INVITE_EXPIRY_DEFAULT_SECONDS, type CreateInvite, type CreatedInvite, type Invite, type RegistrationPolicy } from '@pneumatic/protocol';
import type { Principal } from '../account.service.js';
import { isoAfterSeconds, nowIso } from '../clock.js';
import { AppError } from '../errors.js';
import type { Store } from '../ports/repositories.js';
import { requireScope } from '../scope.policy.js';
import { hashToken } from '../security/tokens.js';

export interface InviteServiceDeps {
  store: Store;
  registration: RegistrationPolicy;
}

export class InviteService {
  constructor(private readonly deps: InviteServiceDeps) {}

  async create(principal: Principal, body: CreateInvite): Promise<CreatedInvite> {
    requireScope(principal.scopes, 'account:manage');
    if (this.deps.registration === 'closed') throw new AppError('registration_closed', 'This server is closed to sign-ups: only its administrators create accounts.');
    if (principal.user.is_bot) throw new AppError('forbidden', 'A bot cannot invite people.');
    const code = INVITE_CODE_PREFIX + randomBytes(32).toString('base64url');
    const now = Date.now();
    const invite = await this.deps.store.invites.create({
      id: randomUUID(),
      token_hash: hashToken(code),
      created_by: principal.user.id,
      created_at: new Date(now).toISOString(),
      expires_at: isoAfterSeconds(body.expires_in_seconds ?? INVITE_EXPIRY_DEFAULT_SECONDS, now),
      max_uses: body.max_uses ?? 1,
    });
    return { invite, code, path: `/#/invite/${code}` };
  }

  async list(principal: Principal): Promise<Invite[]> {
    requireScope(principal.scopes, 'account:manage');
    return this.deps.store.invites.listFor(principal.user.id, nowIso());
  }

  async revoke(principal: Principal, id: string): Promise<void> {
    requireScope(principal.scopes, 'account:manage');
    if (!(await this.deps.store.invites.revoke(id.toLowerCase(), principal.user.id))) throw new AppError('not_found', 'You have no invite with this id.');
  }
}
