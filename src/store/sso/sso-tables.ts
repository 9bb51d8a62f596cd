/** Kysely table types of migration 0022 (single sign-on). */
import type { ColumnType } from 'kysely';
import type { Timestamp } from '../schema.js';

/** An account's identity at an OpenID provider (migration 0022). */
export interface UserIdentitiesTable {
  issuer: string;
  subject: string;
  provider: string;
  user_id: string;
  email: string | null;
  linked_at: Timestamp;
  last_login_at: ColumnType<Date | string | null, string | null | undefined, string | null>;
}

/** A started single sign-on, taken by its callback (migration 0022). */
export interface SsoFlowsTable {
  state_hash: string;
  provider: string;
  binding_hash: string;
  code_verifier: string;
  nonce: string;
  redirect_uri: string;
  return_to: string;
  link_user_id: string | null;
  expires_at: Timestamp;
}

/** A one-time login code from a single sign-on's callback (migration 0022). */
export interface SsoLoginCodesTable {
  code_hash: string;
  user_id: string;
  expires_at: Timestamp;
}

export interface SsoTables {
  user_identities: UserIdentitiesTable;
  sso_flows: SsoFlowsTable;
  sso_login_codes: SsoLoginCodesTable;
}
