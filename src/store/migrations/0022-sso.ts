import type { Kysely } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/**
 * Single sign-on (docs/API.md, "Single sign-on").
 *
 * `user_identities`: an account's identities at OpenID providers, keyed by what identifies a
 * person there for good: the issuer and its `sub` (never the e-mail, which people change and
 * providers reuse). `provider` is the configured id, for listing and unlinking.
 *
 * `sso_flows`: a started log-in, found by the SHA-256 of its `state`, taken (deleted) by its
 * callback, so a state works once; `binding_hash` is the SHA-256 of the browser's
 * `pneumatic_sso` cookie, so a state carried to another browser is refused. The PKCE verifier and
 * nonce live here for the ten minutes a flow may take. `link_user_id`: a linking flow's account.
 *
 * `sso_login_codes`: what the callback hands the web app (SHA-256 kept; one use, one minute).
 *
 * An account made by single sign-on has no password: its `users.password_hash` is '' (no hash
 * verifies against it; the account logs in only through its provider).
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('user_identities')
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('email', 'text')
    .addColumn('linked_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_login_at', t.timestamp)
    .addPrimaryKeyConstraint('user_identities_pk', ['issuer', 'subject'])
    .execute();
  // One identity per provider per account: listing and unlinking name the provider.
  await db.schema.createIndex('user_identities_by_user').on('user_identities').columns(['user_id', 'provider']).unique().execute();

  await db.schema
    .createTable('sso_flows')
    .addColumn('state_hash', 'text', (c) => c.primaryKey())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('binding_hash', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('return_to', 'text', (c) => c.notNull())
    .addColumn('link_user_id', t.id, (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sso_flows_by_expiry').on('sso_flows').column('expires_at').execute();

  await db.schema
    .createTable('sso_login_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .execute();
}
