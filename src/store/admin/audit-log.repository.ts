/** The append-only audit log (migration 0023): inserts and reads, never an update or a delete. */
import type { AuditEntry, AuditTargetType } from '@pneumatic/protocol';
import type { Kysely } from 'kysely';
import type { AuditFilter, AuditLogRepository } from '../../domain/ports/admin-repository.js';
import { toIso } from '../rows.js';
import type { Database } from '../schema.js';

function json(value: Record<string, unknown> | null): string | null {
  return value === null ? null : JSON.stringify(value);
}

function parsed(text: string | null): Record<string, unknown> | null {
  return text === null ? null : (JSON.parse(text) as Record<string, unknown>);
}

export class KyselyAuditLogRepository implements AuditLogRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async append(entry: AuditEntry): Promise<void> {
    await this.db
      .insertInto('audit_log')
      .values({ ...entry, before: json(entry.before), after: json(entry.after) })
      .execute();
  }

  async list(filter: AuditFilter): Promise<AuditEntry[]> {
    let query = this.db.selectFrom('audit_log').selectAll();
    if (filter.action) query = query.where('action', '=', filter.action);
    if (filter.actor_id) query = query.where('actor_id', '=', filter.actor_id);
    if (filter.target_id) query = query.where('target_id', '=', filter.target_id);
    if (filter.since) query = query.where('at', '>=', filter.since);
    if (filter.until) query = query.where('at', '<', filter.until);
    const before = filter.before;
    if (before) query = query.where((eb) => eb.or([eb('at', '<', before.at), eb.and([eb('at', '=', before.at), eb('id', '<', before.id)])]));
    const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
    return rows.map((row) => ({
      id: row.id,
      at: toIso(row.at),
      actor_id: row.actor_id,
      action: row.action,
      target_type: row.target_type as AuditTargetType,
      target_id: row.target_id,
      conversation_id: row.conversation_id,
      before: parsed(row.before),
      after: parsed(row.after),
      request_id: row.request_id,
    }));
  }
}
