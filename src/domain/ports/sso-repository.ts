/** Single sign-on's storage (docs/API.md, "Single sign-on"; migration 0022). */
import type { NewUser } from './account-repositories.js';

/** A started log-in, kept until its callback takes it. */
export interface SsoFlow {
  state_hash: string;
  provider: string;
  /** SHA-256 of the browser's pneumatic_sso cookie. */
  binding_hash: string;
  code_verifier: string;
  nonce: string;
  redirect_uri: string;
  return_to: string;
  /** A linking flow's account; null for a log-in. */
  link_user_id: string | null;
  expires_at: string;
}

/** Who a provider says a person is, once their ID token checked out. */
export interface ProviderIdentity {
  provider: string;
  issuer: string;
  subject: string;
  email: string | null;
}

export interface LinkedIdentityRecord {
  provider: string;
  email: string | null;
  linked_at: string;
  last_login_at: string | null;
}

export interface SsoRepository {
  saveFlow(flow: SsoFlow): Promise<void>;
  /** Deletes and returns the flow of this state hash when it has not expired at `now` (a state works once). */
  takeFlow(stateHash: string, now: string): Promise<SsoFlow | null>;
  /** Deletes flows and login codes expired at `now`. */
  deleteExpired(now: string): Promise<void>;
  saveLoginCode(codeHash: string, userId: string, expiresAt: string): Promise<void>;
  /** Deletes the login code and returns its user when it has not expired at `now` (one use). */
  takeLoginCode(codeHash: string, now: string): Promise<string | null>;
  /** The account this identity logs into (and notes the login), or null when none has it. */
  logIn(identity: ProviderIdentity, at: string): Promise<string | null>;
  /**
   * Links the identity to the user: `taken` when another account has it, or when the user already
   * has an identity at this provider (one each).
   */
  link(identity: ProviderIdentity, userId: string, at: string): Promise<'linked' | 'already' | 'taken'>;
  /**
   * Creates the account with the identity linked, in one transaction: null when the username is
   * taken (the caller tries the next), or `taken` when another login linked the identity meanwhile.
   */
  createWithIdentity(user: NewUser, identity: ProviderIdentity, at: string): Promise<'created' | 'username_taken' | 'identity_taken'>;
  listIdentities(userId: string): Promise<LinkedIdentityRecord[]>;
  /**
   * Unlinks the user's identity at this provider: `not_found`, or `last` when the account has no
   * password and no other identity (it could not log in again).
   */
  unlink(userId: string, provider: string): Promise<'unlinked' | 'not_found' | 'last'>;
}
