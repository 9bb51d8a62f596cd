import type { Kysely } from 'kysely';

/**
 * PostgreSQL's search indexes (migration 0010): a placeholder until the PostgreSQL provider's
 * branch lands with the real schema (tsvector `simple` + GIN, pg_trgm); it creates nothing.
 */
export async function postgresSearchSchema(_db: Kysely<unknown>): Promise<void> {}
