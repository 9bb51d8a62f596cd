/**
 * Where presence lives in Redis (docs/architecture.md, "Presence"). Every command touches one
 * key, so a Redis Cluster needs no two keys on one slot; the {hash tags} keep what belongs
 * together (a process's user set and its claim) on one slot and spread users and conversations
 * over the shards. The deployment's prefix has no braces (REDIS_KEY_PREFIX).
 */
import type { PresenceShare } from '../domain/presence.js';

export class PresenceKeys {
  constructor(private readonly prefix: string) {}

  /** Hash: process id → that process's share; `~s` the last frame sent; `~t` the last-seen moment. */
  user(userId: string): string {
    return `${this.prefix}presence:{${userId}}`;
  }

  /** Set of `userId/processId`: devices of that user on that process view the conversation. */
  viewing(conversationId: string): string {
    return `${this.prefix}viewing:{${conversationId}}`;
  }

  /** Sorted set: process id → until when it counts as alive (epoch ms). */
  processes(): string {
    return `${this.prefix}presence-processes`;
  }

  /** Set of the users a process has a share of: what a survivor withdraws when it dies. */
  processUsers(processId: string): string {
    return `${this.prefix}presence-users:{${processId}}`;
  }

  /** Held (SET NX PX) by the survivor withdrawing a dead process's shares. */
  claim(processId: string): string {
    return `${this.prefix}presence-claim:{${processId}}`;
  }
}

/** A viewing-set member: the user and the process, so each process withdraws only its own. */
export function viewerMember(userId: string, processId: string): string {
  return `${userId}/${processId}`;
}

/**
 * A share as a hash field's value: `o|1767000000000|conv1,conv2` (online) or `a|…` (away). The
 * Lua script reads only the first character; the rest is for whoever withdraws the share.
 */
export function encodeShare(share: PresenceShare): string {
  return `${share.status === 'online' ? 'o' : 'a'}|${Math.floor(share.lastActiveAt)}|${share.viewing.join(',')}`;
}

export function decodeShare(text: string): PresenceShare | null {
  const [status, at, viewing] = text.split('|');
  const lastActiveAt = Number(at);
  if ((status !== 'o' && status !== 'a') || !Number.isFinite(lastActiveAt) || viewing === undefined) return null;
  return { status: status === 'o' ? 'online' : 'away', lastActiveAt, viewing: viewing === '' ? [] : viewing.split(',') };
}
