/**
 * The REST routes of registration and invites (docs/API.md, "Registration and invites"): a base
 * of RestApi, kept apart so each file has one area of the API. Signing up itself is
 * `createUser` / `PneumaticClient.register`, which take an invite code.
 */
import { NotificationsRestApi } from './notifications-rest-api.js';
import type { CreatedInvite, Invite, InviteInput, LoginOptions } from './types.js';

const enc = encodeURIComponent;

export class InvitesRestApi extends NotificationsRestApi {
  /**
   * `GET /login-options` (no login needed): whether this server lets anyone sign up (`open`), only
   * with an invite code (`invite`), or nobody (`closed`), whether passwords log in, and the
   * single sign-on providers to offer (`startSso`).
   */
  getLoginOptions(): Promise<LoginOptions> {
    return this.http.request('GET', '/login-options', { anonymous: true });
  }

  /**
   * `POST /invites`: an invite link that lets up to `max_uses` people (default 1) sign up within
   * `expires_in_seconds` (default 7 days). Keep `code`: it is in this answer only; `path` is the
   * web app's sign-up page for it, relative to the server. Refused with `registration_closed`.
   */
  createInvite(input: InviteInput = {}): Promise<CreatedInvite> {
    return this.http.request('POST', '/invites', { body: input });
  }

  /** `GET /invites`: your invites that have not expired (used-up ones included), newest first, never their codes. */
  async listInvites(): Promise<Invite[]> {
    return (await this.http.request<{ invites: Invite[] }>('GET', '/invites')).invites;
  }

  /** `DELETE /invites/{id}`: its code stops working at once; `not_found` (404) when it is not one of yours. */
  revokeInvite(inviteId: string): Promise<void> {
    return this.http.request('DELETE', `/invites/${enc(inviteId)}`);
  }
}
