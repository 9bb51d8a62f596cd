/** Settings an admin changes through the API (migration 0026), as JSON text by name. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function readSetting<T>(db: Db, name: string, fallback: T): Promise<T> {
  const row = await db.selectFrom('server_settings').select('value').where('name', '=', name).executeTakeFirst();
  return row ? (JSON.parse(row.value) as T) : fallback;
}

export async function writeSetting(db: Db, name: string, value: unknown, at: string): Promise<void> {
  const text = JSON.stringify(value);
  await db
    .insertInto('server_settings')
    .values({ name, value: text, updated_at: at })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: text, updated_at: at }))
    .execute();
}
