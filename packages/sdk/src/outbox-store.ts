/** Where the outbox keeps unacknowledged sends: memory by default, localStorage to survive a page reload. */

/** One send waiting for its ack. `message_id` is its idempotency key, kept across every retry. */
export interface OutboxEntry {
  message_id: string;
  conversation_id: string;
  content: string;
  /** The sender: entries are only resent by a client logged in as this user. */
  user_id: string;
  /** Epoch ms when the send was first requested. */
  created_at: number;
  /** Epoch ms after which the send is abandoned, or null to retry until acknowledged. */
  deadline_at: number | null;
  /** The message quoted (docs/API.md, "Replies and threads"); kept so every resend names it too. */
  reply_to_id?: string;
  /** The thread posted in; a resend without it would be 409 `message_id_conflict`. */
  thread_root_id?: string;
  /** Upload ids attached, in order; every resend names the same ones (other ones would be 409 `message_id_conflict`). */
  attachments?: string[];
}

/** What each delivery of an entry sends (socket frame or HTTP body): the same fields every time, the optional ones only when set. */
export function sendFieldsOf(entry: OutboxEntry): { message_id: string; conversation_id: string; content: string; reply_to_id?: string; thread_root_id?: string; attachments?: string[] } {
  const { message_id, conversation_id, content, reply_to_id, thread_root_id, attachments } = entry;
  return {
    message_id,
    conversation_id,
    content,
    ...(reply_to_id ? { reply_to_id } : {}),
    ...(thread_root_id ? { thread_root_id } : {}),
    ...(attachments?.length ? { attachments: [...attachments] } : {}),
  };
}

/** A pluggable persistence for the outbox. Methods may be sync or async. */
export interface OutboxStore {
  /** Every stored entry, oldest first. */
  load(): OutboxEntry[] | Promise<OutboxEntry[]>;
  save(entry: OutboxEntry): void | Promise<void>;
  remove(messageId: string): void | Promise<void>;
}

/** Keeps entries for the life of the page or process (the default). */
export class MemoryOutboxStore implements OutboxStore {
  private readonly entries = new Map<string, OutboxEntry>();

  load(): OutboxEntry[] {
    return [...this.entries.values()];
  }

  save(entry: OutboxEntry): void {
    this.entries.set(entry.message_id, { ...entry, ...(entry.attachments ? { attachments: [...entry.attachments] } : {}) });
  }

  remove(messageId: string): void {
    this.entries.delete(messageId);
  }
}

/** The subset of the Web Storage API the store needs (`localStorage`, `sessionStorage`, or a polyfill). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/**
 * Keeps entries in `localStorage` under one key, so sends that were not acknowledged before a
 * page reload are resent by the next page (same user) with the same message_id.
 */
export class LocalStorageOutboxStore implements OutboxStore {
  private readonly storage: StorageLike;

  constructor(
    private readonly key = 'pneumatic.outbox',
    storage?: StorageLike,
  ) {
    const found = storage ?? (globalThis as { localStorage?: StorageLike }).localStorage;
    if (!found) throw new Error('LocalStorageOutboxStore needs localStorage (a browser) or an explicit storage.');
    this.storage = found;
  }

  load(): OutboxEntry[] {
    const raw = this.storage.getItem(this.key);
    if (!raw) return [];
    try {
      const parsed = JSON.parse(raw) as unknown;
      return Array.isArray(parsed) ? (parsed as OutboxEntry[]).filter(isEntry) : [];
    } catch {
      return [];
    }
  }

  save(entry: OutboxEntry): void {
    const entries = this.load().filter((e) => e.message_id !== entry.message_id);
    entries.push(entry);
    this.storage.setItem(this.key, JSON.stringify(entries));
  }

  remove(messageId: string): void {
    const entries = this.load();
    const kept = entries.filter((e) => e.message_id !== messageId);
    if (kept.length !== entries.length) this.storage.setItem(this.key, JSON.stringify(kept));
  }
}

function isEntry(value: unknown): value is OutboxEntry {
  const e = value as Partial<OutboxEntry> | null;
  const attachmentsOk = e?.attachments === undefined || (Array.isArray(e.attachments) && e.attachments.every((id) => typeof id === 'string'));
  return !!e && typeof e.message_id === 'string' && typeof e.conversation_id === 'string' && typeof e.content === 'string' && typeof e.user_id === 'string' && attachmentsOk;
}
