/** The CPU of the PostgreSQL backends serving one database, read from /proc (when PostgreSQL runs on this machine). */
import pg from 'pg';
import { treeCpuSeconds } from './processes.js';

/** CPU seconds so far of each PostgreSQL backend serving `database` (by pid), or null without /proc access to them. */
export async function backendCpuSeconds(postgresUrl: string, database: string | null): Promise<Map<number, number> | null> {
  if (database === null) return null;
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>("select pid from pg_stat_activity where datname = $1 and backend_type = 'client backend'", [database]);
    const cpu = new Map(rows.map((r) => [r.pid, treeCpuSeconds(r.pid)]));
    return [...cpu.values()].some((seconds) => seconds > 0) ? cpu : null;
  } finally {
    await client.end();
  }
}

/** CPU used between two readings: backends that ended in between are missed, new ones count whole. */
export function backendCpuUsed(before: Map<number, number> | null, after: Map<number, number> | null): number | null {
  if (!after) return null;
  let seconds = 0;
  for (const [pid, now] of after) seconds += now - (before?.get(pid) ?? 0);
  return seconds;
}
