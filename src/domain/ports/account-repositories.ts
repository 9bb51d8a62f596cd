/** Users (people and bots) and the bearer tokens they sign in with: login sessions and API tokens. */
import type { Scope, User } from '@pneumatic/protocol';

export interface UserWithSecret extends User {
  password_hash: string;
}

/** A user to create; with `bot_owner_id`, a bot owned by that user. */
export interface NewUser {
  id: string;
  username: string;
  created_at: string;
  /** '' for an account made by single sign-on: no password verifies against it. */
  password_hash: string;
  bot_owner_id?: string;
  /** Set at creation (single sign-on takes the provider's name). */
  display_name?: string | null;
}

/** A bot as its owner lists it. */
export interface BotRecord {
  user: User;
  owner_id: string;
}

export interface UserRepository {
  /** Inserts the user (a bot with `bot_owner_id`); returns null when the username is taken (ignoring case). */
  create(user: NewUser): Promise<User | null>;
  findById(id: string): Promise<User | null>;
  /** The bots `ownerId` owns, oldest first. */
  botsOf(ownerId: string): Promise<BotRecord[]>;
  /** The bot `botId` when `ownerId` owns it, else null. */
  ownedBot(botId: string, ownerId: string): Promise<BotRecord | null>;
  /** Replaces the user's password hash (POST /users/me/password). */
  setPasswordHash(userId: string, passwordHash: string): Promise<void>;
  /** A person's password hash; null for a bot or no such user. */
  passwordHashOf(userId: string): Promise<string | null>;
  /** Case-insensitive exact match. */
  findByUsername(username: string): Promise<UserWithSecret | null>;
  /** The subset of `ids` that name existing users. */
  existingIds(ids: readonly string[]): Promise<string[]>;
  /** The subset of `ids` that name deactivated accounts. */
  deactivatedIds(ids: readonly string[]): Promise<string[]>;
  /** User ids by lower-cased username, for those of `keys` (lower-cased usernames) that exist. */
  idsByUsernameKeys(keys: readonly string[]): Promise<Map<string, string>>;
}

export interface SessionRecord {
  id: string;
  user: User;
  expires_at: string;
  /** An API token's scopes; null for a login session, which holds every scope. */
  scopes: Scope[] | null;
}

/** Where a session was last used from (docs/API.md, "Password and sessions"). */
export interface SessionUse {
  at: string;
  /** The User-Agent header as sent (cut to a few hundred characters), or null. */
  user_agent: string | null;
  /** The approximate network (IPv4 /24, IPv6 /48), never the full address. */
  ip: string | null;
}

/** A new bearer token: a login session, or an API token with its name and scopes. */
export interface NewSession {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  token?: { name: string; scopes: readonly Scope[] };
  /** A login's first use: where it was made from. */
  use?: SessionUse;
}

/** A login session as its user lists it. */
export interface LoginRecord {
  id: string;
  created_at: string;
  expires_at: string;
  last_used_at: string;
  user_agent: string | null;
  ip: string | null;
}

/** An API token as its owner lists it; `expires_at` is null for one that never expires. */
export interface ApiTokenRecord {
  id: string;
  name: string;
  scopes: Scope[];
  created_at: string;
  expires_at: string | null;
}

export interface SessionRepository {
  create(session: NewSession): Promise<void>;
  /** The live session for this token hash, or null when unknown, revoked or expired at `now`. */
  findActive(tokenHash: string, now: string): Promise<SessionRecord | null>;
  /** Revokes one session of `userId` (named so caches can announce it in order with that user's deliveries). */
  revoke(sessionId: string, userId: string): Promise<void>;
  /** Revokes every login session of the user (not their API tokens) and returns their ids. */
  revokeAllForUser(userId: string): Promise<string[]>;
  /** Revokes every login session and API token of these users (deactivation: a person and their bots). */
  revokeEverything(userIds: readonly string[]): Promise<Array<{ id: string; user_id: string }>>;
  /** The user's login sessions not expired at `now`, most recently used first. */
  listLogins(userId: string, now: string): Promise<LoginRecord[]>;
  /** Revokes the user's login session `sessionId`; false when the user has no such login. */
  revokeLogin(sessionId: string, userId: string): Promise<boolean>;
  /** Revokes every login session of the user but `keepId`; returns their ids. */
  revokeOtherLogins(userId: string, keepId: string): Promise<string[]>;
  /** Records a use of the session (written at most every few minutes per session by the caller). */
  recordUse(sessionId: string, use: SessionUse): Promise<void>;
  /** A user's profile changed: a cache of sessions (which carry their User) forgets that user's. */
  userChanged(userId: string): void;
  /** The user's API tokens not expired at `now`, newest first. */
  listTokens(userId: string, now: string): Promise<ApiTokenRecord[]>;
  /** Revokes the user's API token `tokenId`; false when the user has no such token. */
  revokeToken(tokenId: string, userId: string): Promise<boolean>;
}
