/**
 * The REST routes of integrations (docs/API.md, "API tokens and scopes", "Bots", "Incoming webhooks",
 * "Outgoing webhooks"): the base of RestApi, kept apart so each file has one area of the API.
 */
import { AccountsRestApi } from './accounts-rest-api.js';
import type {
  ApiToken,
  ApiTokenInput,
  Bot,
  CreatedApiToken,
  CreatedIncomingWebhook,
  CreatedWebhook,
  IncomingWebhook,
  Webhook,
  WebhookDelivery,
  WebhookDeliveryPage,
  WebhookDeliveryQuery,
  WebhookInput,
  WebhookPatch,
} from './types.js';

const enc = encodeURIComponent;

export class IntegrationsRestApi extends AccountsRestApi {
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

  /** `POST /bots`: a bot account you own (a user with `is_bot` true and no password). */
  createBot(username: string): Promise<Bot> {
    return this.http.request('POST', '/bots', { body: { username } });
  }

  /** `GET /bots`: the bots you own, oldest first. */
  async listBots(): Promise<Bot[]> {
    return (await this.http.request<{ bots: Bot[] }>('GET', '/bots')).bots;
  }

  /** `POST /bots/{id}/tokens`: an API token for your bot, with scopes you hold; `secret` is in this answer only. */
  createBotToken(botId: string, input: ApiTokenInput): Promise<CreatedApiToken> {
    return this.http.request('POST', `/bots/${enc(botId)}/tokens`, { body: input });
  }

  /** `GET /bots/{id}/tokens`: your bot's API tokens that have not expired, newest first. */
  async listBotTokens(botId: string): Promise<ApiToken[]> {
    return (await this.http.request<{ tokens: ApiToken[] }>('GET', `/bots/${enc(botId)}/tokens`)).tokens;
  }

  /** `DELETE /bots/{id}/tokens/{token_id}`: the bot's token stops working at once and its sockets close. */
  revokeBotToken(botId: string, tokenId: string): Promise<void> {
    return this.http.request('DELETE', `/bots/${enc(botId)}/tokens/${enc(tokenId)}`);
  }

  /** `POST /conversations/{id}/incoming-webhooks`: a secret URL posting as a new bot you own; `url` is in this answer only. */
  createIncomingWebhook(conversationId: string, username: string): Promise<CreatedIncomingWebhook> {
    return this.http.request('POST', `/conversations/${enc(conversationId)}/incoming-webhooks`, { body: { username } });
  }

  /** `GET /conversations/{id}/incoming-webhooks`: the conversation's webhooks (members only), never their URLs. */
  async listIncomingWebhooks(conversationId: string): Promise<IncomingWebhook[]> {
    return (await this.http.request<{ webhooks: IncomingWebhook[] }>('GET', `/conversations/${enc(conversationId)}/incoming-webhooks`)).webhooks;
  }

  /** `DELETE /conversations/{id}/incoming-webhooks/{webhook_id}`: its URL answers 404 from now on (its creator or an owner). */
  revokeIncomingWebhook(conversationId: string, webhookId: string): Promise<void> {
    return this.http.request('DELETE', `/conversations/${enc(conversationId)}/incoming-webhooks/${enc(webhookId)}`);
  }

  /**
   * `POST /webhooks`: subscribes an https URL to event types of a conversation you own
   * (`conversation_id`) or of every conversation of a bot you own (`bot_id`), exactly one of the
   * two. Keep `secret` (`whsec_…`, for verifying signatures): it is in this answer only.
   */
  createWebhook(input: WebhookInput): Promise<CreatedWebhook> {
    return this.http.request('POST', '/webhooks', { body: input });
  }

  /** `GET /webhooks`: your outgoing webhooks, oldest first (never their secrets). */
  async listWebhooks(): Promise<Webhook[]> {
    return (await this.http.request<{ webhooks: Webhook[] }>('GET', '/webhooks')).webhooks;
  }

  /** `GET /webhooks/{id}`: one of your webhooks: whether it is enabled, failing (`failing_since`), or disabled and why. */
  getWebhook(webhookId: string): Promise<Webhook> {
    return this.http.request('GET', `/webhooks/${enc(webhookId)}`);
  }

  /** `PATCH /webhooks/{id}`: any of url, event types, description; `enabled: false` disables it, `enabled: true` re-enables it. */
  updateWebhook(webhookId: string, changes: WebhookPatch): Promise<Webhook> {
    return this.http.request('PATCH', `/webhooks/${enc(webhookId)}`, { body: changes });
  }

  /** `DELETE /webhooks/{id}`: the webhook, its queue and its delivery log go. */
  deleteWebhook(webhookId: string): Promise<void> {
    return this.http.request('DELETE', `/webhooks/${enc(webhookId)}`);
  }

  /** `POST /webhooks/{id}/rotate-secret`: a new secret, in this answer only; the old one keeps signing beside it for a while (the server's overlap). */
  rotateWebhookSecret(webhookId: string): Promise<CreatedWebhook> {
    return this.http.request('POST', `/webhooks/${enc(webhookId)}/rotate-secret`);
  }

  /** `GET /webhooks/{id}/deliveries`: the delivery log, newest first; pass `next_before` as `before` for older ones. */
  listWebhookDeliveries(webhookId: string, query: WebhookDeliveryQuery = {}): Promise<WebhookDeliveryPage> {
    return this.http.request('GET', `/webhooks/${enc(webhookId)}/deliveries`, { query: { ...query } });
  }

  /** `POST /webhooks/{id}/deliveries/{delivery_id}/redeliver`: sends a logged delivery again, with the same `webhook-id`. */
  redeliverWebhook(webhookId: string, deliveryId: string): Promise<WebhookDelivery> {
    return this.http.request('POST', `/webhooks/${enc(webhookId)}/deliveries/${enc(deliveryId)}/redeliver`);
  }
}
