import type { Kysely } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/**
 * Administration (docs/API.md, "Administration").
 *
 * `users.server_role`: 'admin' or 'member'. `users.deactivated_at`: set while an admin has
 * deactivated the account (its tokens are revoked then, and no token of it authenticates).
 *
 * `audit_log`: append-only; nothing in the server updates or deletes a row. `before` and `after`
 * are JSON text (the changed fields only). Listed newest first, by (`at`, `id`); the actor and
 * target indexes serve GET /admin/audit's filters.
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  await db.schema.alterTable('users').addColumn('server_role', 'text', (c) => c.notNull().defaultTo('member')).execute();
  await db.schema.alterTable('users').addColumn('deactivated_at', t.timestamp).execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('at', t.timestamp, (c) => c.notNull())
    .addColumn('actor_id', t.id)
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', t.id, (c) => c.notNull())
    .addColumn('conversation_id', t.id)
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addColumn('request_id', 'text')
    .execute();
  await db.schema.createIndex('audit_log_by_time').on('audit_log').columns(['at', 'id']).execute();
  await db.schema.createIndex('audit_log_by_actor').on('audit_log').columns(['actor_id', 'at']).execute();
  await db.schema.createIndex('audit_log_by_target').on('audit_log').columns(['target_id', 'at']).execute();
}
