/**
 * The message removals port in memory, for unit tests of the worker: one job table and a list
 * of the user's messages, with the SQL repository's rules (leases, holders, the cursor).
 */
import type { MessageRemoval } from '@pneumatic/protocol';
import type {
  ClaimedRemoval,
  MessageRemovalFilter,
  MessageRemovalRepository,
  NewMessageRemoval,
  RemovableMessage,
  RemovalCursor,
} from '../../../src/domain/ports/message-removal-repository.js';

interface Job {
  removal: MessageRemoval;
  bound_at: string;
  cursor: RemovalCursor | null;
  holder: string | null;
  lease_until: string | null;
  failures: number;
  error: string | null;
}

const key = (m: { created_at: string; message_id: string }) => `${m.created_at} ${m.message_id}`;

export class InMemoryMessageRemovals implements MessageRemovalRepository {
  readonly jobs = new Map<string, Job>();
  /** Every message of the window, live or deleted (`deleted`: ids deleted so far). */
  readonly messages: RemovableMessage[] = [];
  readonly deleted = new Set<string>();

  async create(job: NewMessageRemoval): Promise<MessageRemoval> {
    const total = this.live().filter((m) => m.created_at < job.bound_at).length;
    const removal: MessageRemoval = { id: job.id, user_id: job.user_id, requested_by: job.requested_by, from: job.from, to: job.to, status: 'running', removed: 0, total, created_at: job.created_at, updated_at: job.created_at, finished_at: null };
    this.jobs.set(job.id, { removal, bound_at: job.bound_at, cursor: null, holder: null, lease_until: null, failures: 0, error: null });
    return removal;
  }

  async findById(id: string): Promise<MessageRemoval | null> {
    const job = this.jobs.get(id);
    return job ? this.view(job) : null;
  }

  async list(filter: MessageRemovalFilter): Promise<MessageRemoval[]> {
    return [...this.jobs.values()].map((j) => this.view(j)).reverse().slice(0, filter.limit);
  }

  async claim(holder: string, now: string, leaseUntil: string): Promise<ClaimedRemoval | null> {
    const job = [...this.jobs.values()].find((j) => j.removal.status === 'running' && (j.lease_until === null || j.lease_until <= now));
    if (!job) return null;
    Object.assign(job, { holder, lease_until: leaseUntil });
    return { removal: this.view(job), bound_at: job.bound_at, cursor: job.cursor };
  }

  async renew(id: string, holder: string, leaseUntil: string): Promise<boolean> {
    const job = this.held(id, holder);
    if (job) job.lease_until = leaseUntil;
    return job !== null;
  }

  async nextBatch(claimed: ClaimedRemoval, limit: number): Promise<RemovableMessage[]> {
    const after = claimed.cursor ? key(claimed.cursor) : '';
    return this.live()
      .filter((m) => m.created_at < claimed.bound_at && key(m) > after)
      .sort((a, b) => (key(a) < key(b) ? -1 : 1))
      .slice(0, limit);
  }

  async advance(id: string, holder: string, progress: { removed: number; cursor: RemovalCursor; at: string; leaseUntil: string }): Promise<boolean> {
    const job = this.held(id, holder);
    if (!job) return false;
    Object.assign(job, { cursor: progress.cursor, lease_until: progress.leaseUntil, failures: 0 });
    Object.assign(job.removal, { removed: job.removal.removed + progress.removed, updated_at: progress.at });
    return true;
  }

  async finish(id: string, holder: string, progress: { removed: number; at: string }): Promise<MessageRemoval | null> {
    const job = this.held(id, holder);
    if (!job) return null;
    Object.assign(job, { holder: null, lease_until: null });
    Object.assign(job.removal, { status: 'done', removed: job.removal.removed + progress.removed, updated_at: progress.at, finished_at: progress.at });
    return this.view(job);
  }

  async failAttempt(id: string, holder: string, failure: { at: string; retryAt: string; error: string; maxFailures: number }): Promise<MessageRemoval | null> {
    const job = this.held(id, holder);
    if (!job) return null;
    job.failures += 1;
    job.removal.updated_at = failure.at;
    if (job.failures >= failure.maxFailures) {
      Object.assign(job, { holder: null, lease_until: null, error: failure.error });
      Object.assign(job.removal, { status: 'failed', finished_at: failure.at });
    } else {
      Object.assign(job, { holder: null, lease_until: failure.retryAt });
    }
    return this.view(job);
  }

  async release(id: string, holder: string): Promise<void> {
    const job = this.held(id, holder);
    if (job) Object.assign(job, { holder: null, lease_until: null });
  }

  /** Who holds the job now (null: nobody). */
  holderOf(id: string): string | null {
    return this.jobs.get(id)?.holder ?? null;
  }

  private live(): RemovableMessage[] {
    return this.messages.filter((m) => !this.deleted.has(m.message_id));
  }

  private held(id: string, holder: string): Job | null {
    const job = this.jobs.get(id);
    return job && job.holder === holder && job.removal.status === 'running' ? job : null;
  }

  private view(job: Job): MessageRemoval {
    const removal = { ...job.removal };
    return removal.status === 'failed' && job.error !== null ? { ...removal, error: job.error } : removal;
  }
}
