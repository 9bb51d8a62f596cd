import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/**
 * The stored value of a server secret (table `server_secrets`, migration 0012), storing
 * `generated` first when there is none: the first process to ask wins, and every process on the
 * database gets the same value.
 */
export async function serverSecret(db: Kysely<Database>, name: string, generated: string): Promise<string> {
  await db.insertInto('server_secrets').values({ name, value: generated }).onConflict((oc) => oc.column('name').doNothing()).execute();
  const row = await db.selectFrom('server_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}
