/** Kysely table types of migration 0026 (retention: server settings and job leases). */
import type { Timestamp } from '../schema.js';

/** Settings an admin changes through the API (migration 0026): name → JSON text. */
export interface ServerSettingsTable {
  name: string;
  value: string;
  updated_at: Timestamp;
}

/** One holder at a time per background job, across processes (migration 0026). */
export interface JobLeasesTable {
  name: string;
  holder: string;
  expires_at: Timestamp;
}

export interface RetentionTables {
  server_settings: ServerSettingsTable;
  job_leases: JobLeasesTable;
}
