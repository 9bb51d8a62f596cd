/**
 * Which databases the suites run against. SQLite always; PostgreSQL when reachable (required
 * under CI=true). DIALECTS=sqlite or DIALECTS=postgres narrows the run.
 */
import pg from 'pg';

export type Dialect = 'sqlite' | 'postgres';

export const PG_ADMIN_URL = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function postgresReachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Set by the global setup (test/setup/global-setup.ts) after probing the services. Under
 * PNEUMATIC_TEST_TOPOLOGY=cluster3 only PostgreSQL: three processes share one database.
 */
export function enabledDialects(): Dialect[] {
  if (process.env.PNEUMATIC_TEST_TOPOLOGY === 'cluster3') return ['postgres'];
  const requested = (process.env.DIALECTS ?? 'sqlite,postgres').split(',').map((d) => d.trim()) as Dialect[];
  return requested.filter((d) => d === 'sqlite' || (d === 'postgres' && process.env.PNEUMATIC_TEST_POSTGRES === 'up'));
}
