/**
 * What a server admin does (docs/API.md, "Administration"): lists users, changes server roles,
 * deactivates and reactivates accounts, and reads the audit log. Every change is written to the
 * audit log with its before and after; every method starts with requireAdmin.
 */
import { randomUUID } from 'node:crypto';
import type { AdminUser, AdminUserList, AdminUsersQuery, AuditEntry, AuditEntryList, AuditQuery, ServerRole, UpdateAdminUser, User } from '@pneumatic/protocol';
import { ADMIN_PAGE_DEFAULT } from '@pneumatic/protocol';
import type { Principal } from '../account.service.js';
import { nowIso } from '../clock.js';
import { AppError } from '../errors.js';
import type { AdminChange, NewAuditEntry } from '../ports/admin-repository.js';
import type { EventPublisher } from '../ports/events.js';
import type { Store } from '../ports/repositories.js';
import type { ConversationService } from '../conversation.service.js';
import type { MessageService } from '../message.service.js';
import { decodeAuditCursor, decodeUserCursor, encodeAuditCursor, encodeUserCursor } from './admin-cursors.js';
import { requireAdmin } from './server-role.policy.js';

/** The services an admin's moderation acts through, so a moderated change is announced like any other. */
export interface ModeratedServices {
  messages: Pick<MessageService, 'deleteAsAdmin'>;
  conversations: Pick<ConversationService, 'removeMemberAsAdmin'>;
}

export interface AdminServiceDeps {
  store: Store;
  events: EventPublisher;
  /** Absent in the command line (npm run admin), which only changes roles. */
  moderated?: ModeratedServices;
  /** ADMIN_USERNAMES. */
  adminUsernames?: readonly string[];
}

/** Who acts, and the request it came in (recorded with each audit entry). */
export interface AdminActor {
  principal: Principal;
  request_id: string | null;
}

function userNotFound(): AppError {
  return new AppError('user_not_found', 'No user has this id.');
}

function lastAdmin(): AppError {
  return new AppError('last_admin', 'The server must keep an active admin: make another admin first.');
}

export class AdminService {
  /** ADMIN_USERNAMES, lower-cased. */
  private readonly listed: ReadonlySet<string>;

  constructor(private readonly deps: AdminServiceDeps) {
    this.listed = new Set((deps.adminUsernames ?? []).map((name) => name.toLowerCase()));
  }

  async listUsers(principal: Principal, query: AdminUsersQuery): Promise<AdminUserList> {
    await this.requireAdmin(principal);
    const limit = query.limit ?? ADMIN_PAGE_DEFAULT;
    const users = await this.deps.store.admin.listUsers({
      prefix: query.q?.toLowerCase(),
      role: query.role,
      deactivated: query.deactivated,
      after: query.cursor === undefined ? undefined : decodeUserCursor(query.cursor),
      limit: limit + 1,
    });
    const page = users.slice(0, limit);
    const last = page.at(-1);
    return { users: page, next_cursor: users.length > limit && last ? encodeUserCursor(last.username) : null };
  }

  async getUser(principal: Principal, userId: string): Promise<AdminUser> {
    await this.requireAdmin(principal);
    const user = await this.deps.store.admin.findUser(userId);
    if (!user) throw userNotFound();
    return user;
  }

  /** Applies the role first, then the account state; each change is audited on its own. */
  async updateUser(actor: AdminActor, userId: string, patch: UpdateAdminUser): Promise<AdminUser> {
    await this.requireAdmin(actor.principal);
    let user = await this.deps.store.admin.findUser(userId);
    if (!user) throw userNotFound();
    if (patch.role !== undefined) {
      user = await this.applied(actor, await this.deps.store.admin.setRole(userId, patch.role), 'user.role_changed', (u) => ({ role: u.role }));
      this.deps.store.sessions.userChanged(userId);
    }
    if (patch.deactivated === true) {
      user = await this.applied(actor, await this.deps.store.admin.setDeactivated(userId, nowIso()), 'user.deactivated', (u) => ({ deactivated_at: u.deactivated_at }));
      await this.cutOff(userId);
    } else if (patch.deactivated === false) {
      user = await this.applied(actor, await this.deps.store.admin.setDeactivated(userId, null), 'user.reactivated', (u) => ({ deactivated_at: u.deactivated_at }));
      this.deps.store.sessions.userChanged(userId);
    }
    return user;
  }

  /** Deletes any message, a member or not; audited with its sender, not its text. */
  async deleteMessage(actor: AdminActor, messageId: string): Promise<void> {
    await this.requireAdmin(actor.principal);
    const deleted = await this.moderated.messages.deleteAsAdmin(actor.principal.user.id, messageId);
    if (!deleted) return;
    await this.record(actor, {
      action: 'message.deleted',
      target_type: 'message',
      target_id: deleted.message_id,
      conversation_id: deleted.conversation_id,
      before: { sender_id: deleted.sender_id, seq: deleted.seq },
    });
  }

  /** Removes anyone from any conversation. */
  async removeMember(actor: AdminActor, conversationId: string, userId: string): Promise<void> {
    await this.requireAdmin(actor.principal);
    await this.moderated.conversations.removeMemberAsAdmin(actor.principal.user.id, conversationId, userId);
    await this.record(actor, { action: 'member.removed', target_type: 'user', target_id: userId, conversation_id: conversationId });
  }

  async audit(principal: Principal, query: AuditQuery): Promise<AuditEntryList> {
    await this.requireAdmin(principal);
    const limit = query.limit ?? ADMIN_PAGE_DEFAULT;
    const entries = await this.deps.store.auditLog.list({
      action: query.action,
      actor_id: query.actor_id,
      target_id: query.target_id,
      since: query.since,
      until: query.until,
      before: query.cursor === undefined ? undefined : decodeAuditCursor(query.cursor),
      limit: limit + 1,
    });
    const page = entries.slice(0, limit);
    const last = page.at(-1);
    return { entries: page, next_cursor: entries.length > limit && last ? encodeAuditCursor(last) : null };
  }

  private get moderated(): ModeratedServices {
    if (!this.deps.moderated) throw new Error('AdminService was made without the moderated services');
    return this.deps.moderated;
  }

  /** The caller's stored server role ('member' for an unknown id). */
  async roleOf(userId: string): Promise<ServerRole> {
    return (await this.deps.store.admin.findUser(userId))?.role ?? 'member';
  }

  /** 403 forbidden unless the caller is an admin now, with a token that may act as one. */
  async requireAdmin(principal: Principal): Promise<void> {
    requireAdmin(principal, await this.roleOf(principal.user.id));
  }

  /** Writes one audit entry; used by every admin action, here and in the services that act for admins. */
  async record(actor: AdminActor | null, entry: Omit<NewAuditEntry, 'actor_id' | 'request_id'>): Promise<AuditEntry> {
    const full: AuditEntry = {
      id: randomUUID(),
      at: nowIso(),
      actor_id: actor?.principal.user.id ?? null,
      action: entry.action,
      target_type: entry.target_type,
      target_id: entry.target_id,
      conversation_id: entry.conversation_id ?? null,
      before: entry.before ?? null,
      after: entry.after ?? null,
      request_id: actor?.request_id ?? null,
    };
    await this.deps.store.auditLog.append(full);
    return full;
  }

  /** The user after `change`, audited when it changed something. */
  private async applied(actor: AdminActor | null, change: AdminChange, action: NewAuditEntry['action'], fields: (u: AdminUser) => Record<string, unknown>): Promise<AdminUser> {
    if (change === null) throw userNotFound();
    if (change.outcome === 'last_admin') throw lastAdmin();
    if (change.outcome === 'changed') {
      await this.record(actor, { action, target_type: 'user', target_id: change.after.id, before: fields(change.before), after: fields(change.after) });
    }
    return change.after;
  }

  /**
   * A deactivated account's way in is closed on every transport: every login session and API
   * token of it and of the bots it owns is deleted, and their sockets are closed with the
   * terminal close code 4503 on every process.
   */
  private async cutOff(userId: string): Promise<void> {
    const holders = [userId, ...(await this.deps.store.admin.botIdsOf(userId))];
    const revoked = await this.deps.store.sessions.revokeEverything(holders);
    for (const holder of holders) {
      const sessionIds = revoked.filter((s) => s.user_id === holder).map((s) => s.id);
      // Every socket was opened with one of these (a socket outlives no session of its own).
      if (sessionIds.length > 0) this.deps.events.publish({ type: 'sessions.revoked', user_id: holder, session_ids: sessionIds, reason: 'deactivated' });
    }
  }

  /** ADMIN_USERNAMES and `npm run admin -- grant`: makes an existing account an admin (audited, no actor). */
  async grantByUsername(username: string): Promise<AdminUser | null> {
    const user = await this.deps.store.admin.findUserByUsername(username);
    if (!user) return null;
    return this.applied(null, await this.deps.store.admin.setRole(user.id, 'admin'), 'user.role_changed', (u) => ({ role: u.role }));
  }

  /** ADMIN_USERNAMES, as the server starts: makes each listed account that exists an admin. */
  async appointListedAccounts(): Promise<void> {
    for (const name of this.listed) await this.grantByUsername(name);
  }

  /** ADMIN_USERNAMES, as an account signs up or logs in. */
  async appointIfListed(user: User): Promise<void> {
    if (this.listed.has(user.username.toLowerCase())) await this.grantByUsername(user.username);
  }

  /** `npm run admin -- revoke`: refused for the last active admin. */
  async revokeByUsername(username: string): Promise<AdminUser | null> {
    const user = await this.deps.store.admin.findUserByUsername(username);
    if (!user) return null;
    return this.applied(null, await this.deps.store.admin.setRole(user.id, 'member'), 'user.role_changed', (u) => ({ role: u.role }));
  }
}
