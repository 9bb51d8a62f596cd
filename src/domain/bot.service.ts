import { randomUUID } from 'node:crypto';
import type { ApiToken, ApiTokenInput, Bot, CreatedApiToken } from '@pneumatic/protocol';
import type { Principal } from './account.service.js';
import type { ApiTokenService } from './api-token.service.js';
import { nowIso } from './clock.js';
import { AppError } from './errors.js';
import type { Store } from './ports/repositories.js';

/**
 * What a bot has instead of a password hash: no password verifies against it, and logging in as
 * a bot is refused before any is tried (AccountService.login).
 */
export const NO_PASSWORD = '!bot: no password';

export interface BotServiceDeps {
  store: Store;
  tokens: ApiTokenService;
  maxPerUser: number;
}

/**
 * Bot accounts (docs/API.md, "Bots"): users marked `is_bot`, owned by the person who created
 * them, with no password. A bot authenticates with API tokens its owner creates for it, and is
 * then a member like any other: added to conversations, on the WebSocket, through the SDK.
 */
export class BotService {
  constructor(private readonly deps: BotServiceDeps) {}

  async create(owner: Principal, username: string): Promise<Bot> {
    if (owner.user.is_bot) throw new AppError('forbidden', 'A bot cannot own bots; its owner can create them.');
    const owned = await this.deps.store.users.botsOf(owner.user.id);
    if (owned.length >= this.deps.maxPerUser) throw new AppError('too_many_bots', `You own ${owned.length} bots, the most allowed.`);
    const user = await this.deps.store.users.create({ id: randomUUID(), username, created_at: nowIso(), password_hash: NO_PASSWORD, bot_owner_id: owner.user.id });
    if (!user) throw new AppError('username_taken', 'That username is taken.');
    return { user, owner_id: owner.user.id };
  }

  list(ownerId: string): Promise<Bot[]> {
    return this.deps.store.users.botsOf(ownerId);
  }

  /** A token for the bot, with scopes its owner holds (the owner's own token limits what it hands on). */
  async createToken(owner: Principal, botId: string, input: ApiTokenInput): Promise<CreatedApiToken> {
    const bot = await this.owned(owner.user.id, botId);
    return this.deps.tokens.issue(bot.user.id, owner.scopes, input);
  }

  async listTokens(ownerId: string, botId: string): Promise<ApiToken[]> {
    return this.deps.tokens.list((await this.owned(ownerId, botId)).user.id);
  }

  async revokeToken(ownerId: string, botId: string, tokenId: string): Promise<void> {
    await this.deps.tokens.revoke((await this.owned(ownerId, botId)).user.id, tokenId);
  }

  /** The caller's bot, or 404 as for one that does not exist. */
  private async owned(ownerId: string, botId: string): Promise<Bot> {
    const bot = await this.deps.store.users.ownedBot(botId, ownerId);
    if (!bot) throw new AppError('not_found', 'You own no bot with this id.');
    return bot;
  }
}
