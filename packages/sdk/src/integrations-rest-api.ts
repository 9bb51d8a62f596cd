/**
 * The REST routes of integrations (docs/API.md, "API tokens and scopes"): the base of RestApi,
 * kept apart so each file has one area of the API.
 */
import { NotificationsRestApi } from './notifications-rest-api.js';
import type { ApiToken, ApiTokenInput, CreatedApiToken } from './types.js';

const enc = encodeURIComponent;

export class IntegrationsRestApi extends NotificationsRestApi {
  /**
   * `POST /tokens`: an API token with scopes you hold and an optional expiry. Keep `secret`: it
   * is in this answer only. Use it as any token: `new PneumaticClient({ baseUrl, token: secret })`.
   */
  createApiToken(input: ApiTokenInput): Promise<CreatedApiToken> {
    return this.http.request('POST', '/tokens', { body: input });
  }

  /** `GET /tokens`: your API tokens that have not expired, newest first (never their secrets). */
  async listApiTokens(): Promise<ApiToken[]> {
    return (await this.http.request<{ tokens: ApiToken[] }>('GET', '/tokens')).tokens;
  }

  /** `DELETE /tokens/{id}`: the token stops working at once and its sockets close. */
  revokeApiToken(tokenId: string): Promise<void> {
    return this.http.request('DELETE', `/tokens/${enc(tokenId)}`);
  }
}
