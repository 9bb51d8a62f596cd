/** Blocks and the audit log of the in-memory Store fake: the SQL repositories' rules without users' details. */
import type { AuditEntry, Block } from '@pneumatic/protocol';
import type { AuditFilter, AuditLogRepository } from '../../../src/domain/ports/admin-repository.js';
import type { BlockRepository } from '../../../src/domain/ports/block-repository.js';

export class InMemoryBlockRepository implements BlockRepository {
  private readonly rows: { blocker_id: string; blocked_id: string; created_at: string }[] = [];

  async block(blockerId: string, blockedId: string, at: string, max: number): Promise<'blocked' | 'already' | 'too_many'> {
    if (this.rows.some((r) => r.blocker_id === blockerId && r.blocked_id === blockedId)) return 'already';
    if (this.rows.filter((r) => r.blocker_id === blockerId).length >= max) return 'too_many';
    this.rows.push({ blocker_id: blockerId, blocked_id: blockedId, created_at: at });
    return 'blocked';
  }

  async unblock(blockerId: string, blockedId: string): Promise<boolean> {
    const index = this.rows.findIndex((r) => r.blocker_id === blockerId && r.blocked_id === blockedId);
    if (index >= 0) this.rows.splice(index, 1);
    return index >= 0;
  }

  async list(): Promise<Block[]> {
    throw new Error('the in-memory store lists no blocks (it keeps no users\' details here)');
  }

  async blockersAmong(blockedId: string, userIds: readonly string[]): Promise<string[]> {
    return this.rows.filter((r) => r.blocked_id === blockedId && userIds.includes(r.blocker_id)).map((r) => r.blocker_id);
  }

  async blocksOf(blockedIds: readonly string[]): Promise<{ blocker_id: string; blocked_id: string }[]> {
    return this.rows.filter((r) => blockedIds.includes(r.blocked_id)).map(({ blocker_id, blocked_id }) => ({ blocker_id, blocked_id }));
  }
}

/** The audit log of the in-memory Store fake: appended to, listed newest first by action only. */
export class InMemoryAuditLog implements AuditLogRepository {
  readonly entries: AuditEntry[] = [];

  async append(entry: AuditEntry): Promise<void> {
    this.entries.push(entry);
  }

  async list(filter: AuditFilter): Promise<AuditEntry[]> {
    return this.entries.filter((e) => !filter.action || e.action === filter.action).reverse().slice(0, filter.limit);
  }
}
