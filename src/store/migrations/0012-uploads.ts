import { sql, type Kysely } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/**
 * Files and images (docs/API.md, "Files and images").
 *
 * `uploads`: one row per upload, inserted `pending` before its first byte is stored, so a crash
 * mid-upload leaves a row the clean-up job finds (and no byte anyone can read: only `ready`
 * uploads are served or attached). `deleting` marks one the job has taken to delete, so no send
 * can attach it meanwhile. `attached` stays 1 once a message attached it: an upload never
 * attached is an orphan after UPLOAD_ORPHAN_HOURS; one attached and no longer referenced (its
 * messages deleted) is deleted at once.
 *
 * `message_attachments`: which messages attach which uploads, in order: what a download's
 * membership check reads. Removed with its message (a deleted message's rows are removed by the
 * store in the delete's transaction). An upload cannot be removed while a message references it.
 *
 * `messages.attachments`: the message's attachments as the JSON array it is sent with (URLs
 * unsigned: they are signed as each payload leaves the server), so no read joins for them.
 *
 * `server_secrets`: secrets generated once and shared by every process on the database (the
 * key signing download URLs, unless UPLOAD_URL_SECRET sets one).
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('uploads')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('owner_id', t.id, (c) => c.notNull().references('users.id'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('sha256', 'text')
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('thumbnail_width', 'integer')
    .addColumn('thumbnail_height', 'integer')
    .addColumn('thumbnail_size', 'integer')
    .addColumn('cleaned', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attached', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  // The quota sums an owner's uploads; the clean-up job reads by status and age.
  await db.schema.createIndex('uploads_owner').on('uploads').columns(['owner_id', 'status']).execute();
  await db.schema.createIndex('uploads_status').on('uploads').columns(['status', 'created_at']).execute();
  await db.schema
    .createTable('message_attachments')
    .addColumn('message_id', t.id, (c) => c.notNull().references('messages.message_id').onDelete('cascade'))
    .addColumn('upload_id', t.id, (c) => c.notNull().references('uploads.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('message_attachments_pk', ['message_id', 'upload_id'])
    .execute();
  await db.schema.createIndex('message_attachments_upload').on('message_attachments').columns(['upload_id']).execute();
  // A constant default rewrites nothing, on either database.
  await db.schema.alterTable('messages').addColumn('attachments', 'text', (c) => c.notNull().defaultTo(sql.lit('[]'))).execute();
  await db.schema
    .createTable('server_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}
