/**
 * Removing a user's messages (docs/API.md, "Administration", Removing a user's messages): an
 * admin asks for all of a user's messages in a window to be deleted; the request stores a job
 * and answers at once, and the job (message-removal-worker.ts) deletes them in batches, each an
 * ordinary delete. Starting one is audited (`messages.removal_started`), and so is its end.
 */
import { randomUUID } from 'node:crypto';
import { ADMIN_PAGE_DEFAULT, type MessageRemoval, type MessageRemovalList, type MessageRemovalsQuery, type StartMessageRemoval } from '@pneumatic/protocol';
import { nowIso } from '../clock.js';
import { AppError } from '../errors.js';
import type { Store } from '../ports/repositories.js';
import type { AdminActor, AdminService } from './admin.service.js';
import { decodeRemovalCursor, encodeRemovalCursor } from './admin-cursors.js';

export interface MessageRemovalServiceDeps {
  store: Store;
  admin: Pick<AdminService, 'requireAdmin' | 'record'>;
  /** Told when a job was stored, so this process's worker starts it now rather than at its next poll. */
  started?: () => void;
}

/** The window as stored: canonical ISO 8601 UTC (the databases compare them so), `from` before `to`. */
export function removalWindow(body: StartMessageRemoval): { from: string | null; to: string | null } {
  const from = body.from === undefined ? null : canonical(body.from, '/from');
  const to = body.to === undefined ? null : canonical(body.to, '/to');
  if (from !== null && to !== null && from >= to) {
    throw new AppError('invalid_request', 'The window is empty: from must be earlier than to.', { errors: [{ pointer: '/to', detail: 'must be later than from' }] });
  }
  return { from, to };
}

function canonical(timestamp: string, pointer: string): string {
  const ms = Date.parse(timestamp);
  // The schema checked the format; a date no Date holds (year 275760 and on) is refused here.
  if (Number.isNaN(ms)) throw new AppError('invalid_request', 'Not a time this server can read.', { errors: [{ pointer, detail: 'must be an ISO 8601 date-time' }] });
  return new Date(ms).toISOString();
}

export class MessageRemovalService {
  constructor(private readonly deps: MessageRemovalServiceDeps) {}

  /**
   * Stores the job (`total` counted now) and answers it running. Without `to` the window ends
   * now: the job has an end even while the user goes on sending.
   */
  async start(actor: AdminActor, userId: string, body: StartMessageRemoval): Promise<MessageRemoval> {
    await this.deps.admin.requireAdmin(actor.principal);
    const { from, to } = removalWindow(body);
    if (!(await this.deps.store.admin.findUser(userId))) throw new AppError('user_not_found', 'No user has this id.');
    const now = nowIso();
    const removal = await this.deps.store.messageRemovals.create({
      id: randomUUID(),
      user_id: userId,
      requested_by: actor.principal.user.id,
      from,
      to,
      bound_at: to ?? now,
      created_at: now,
    });
    await this.deps.admin.record(actor, {
      action: 'messages.removal_started',
      target_type: 'user',
      target_id: userId,
      after: { removal_id: removal.id, from, to, total: removal.total },
    });
    this.deps.started?.();
    return removal;
  }

  async get(actor: AdminActor, id: string): Promise<MessageRemoval> {
    await this.deps.admin.requireAdmin(actor.principal);
    const removal = await this.deps.store.messageRemovals.findById(id);
    if (!removal) throw new AppError('not_found', 'No message removal has this id.');
    return removal;
  }

  /** Newest first, of one user or of everyone. */
  async list(actor: AdminActor, query: MessageRemovalsQuery): Promise<MessageRemovalList> {
    await this.deps.admin.requireAdmin(actor.principal);
    const limit = query.limit ?? ADMIN_PAGE_DEFAULT;
    const removals = await this.deps.store.messageRemovals.list({
      user_id: query.user_id,
      before: query.cursor === undefined ? undefined : decodeRemovalCursor(query.cursor),
      limit: limit + 1,
    });
    const page = removals.slice(0, limit);
    const last = page.at(-1);
    return { removals: page, next_cursor: removals.length > limit && last ? encodeRemovalCursor(last) : null };
  }
}
