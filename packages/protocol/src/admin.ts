/**
 * Administration (docs/API.md, "Administration"): server roles, deactivation, the audit log.
 * Without server code, so the SDK and the web app share the names and limits.
 */
import { Type, type Static } from 'typebox';
import { Timestamp, User, Uuid } from './models.js';

/** A server role: `admin` may use the /admin routes; everyone else is a `member`. */
export const SERVER_ROLES = ['admin', 'member'] as const;
export type ServerRole = (typeof SERVER_ROLES)[number];
export const ServerRoleSchema = Type.Union([Type.Literal('admin'), Type.Literal('member')], { description: 'the server role' });

/** GET /users/me/role: your own server role (nobody else's shows outside /admin). */
export const MyServerRole = Type.Object({ role: ServerRoleSchema }, { title: 'MyServerRole' });
export type MyServerRole = Static<typeof MyServerRole>;

/** What the audit log records (GET /admin/audit). New actions are added, never renamed. */
export const AUDIT_ACTIONS = [
  'user.role_changed',
  'user.deactivated',
  'user.reactivated',
  'message.deleted',
  'member.removed',
  'member.role_changed',
  'report.resolved',
  'report.dismissed',
  'messages.removal_started',
  'messages.removal_finished',
  'retention.changed',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** `server`: a server-wide setting; its target_id is the nil UUID (SERVER_TARGET_ID). */
export const AUDIT_TARGET_TYPES = ['user', 'message', 'conversation', 'report', 'server'] as const;
export const SERVER_TARGET_ID = '00000000-0000-0000-0000-000000000000';
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

export const ADMIN_PAGE_MAX = 100;
export const ADMIN_PAGE_DEFAULT = 50;
export const ADMIN_QUERY_MAX_CHARS = 64;

/** A user as an admin sees them: the public user with their role and account state. */
export const AdminUser = Type.Object(
  {
    ...User.properties,
    role: ServerRoleSchema,
    deactivated_at: Type.Union([Timestamp, Type.Null()], { description: 'when the account was deactivated, or null' }),
    bot_owner_id: Type.Union([Uuid, Type.Null()], { description: 'a bot\'s owner, or null for a person' }),
  },
  { title: 'AdminUser' },
);
export type AdminUser = Static<typeof AdminUser>;

export const AdminUserList = Type.Object(
  { users: Type.Array(AdminUser), next_cursor: Type.Union([Type.String(), Type.Null()]) },
  { title: 'AdminUserList' },
);
export type AdminUserList = Static<typeof AdminUserList>;

/** GET /admin/users: `q` matches the start of a username (any case); pages in username order. */
export const AdminUsersQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: ADMIN_QUERY_MAX_CHARS })),
    role: Type.Optional(ServerRoleSchema),
    deactivated: Type.Optional(Type.Boolean()),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: ADMIN_PAGE_MAX, default: ADMIN_PAGE_DEFAULT })),
  },
  { additionalProperties: false, title: 'AdminUsersQuery' },
);
export type AdminUsersQuery = Static<typeof AdminUsersQuery>;

/** PATCH /admin/users/{id}: change the role, deactivate (true) or reactivate (false). */
export const UpdateAdminUser = Type.Object(
  {
    role: Type.Optional(ServerRoleSchema),
    deactivated: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1, title: 'UpdateAdminUser' },
);
export type UpdateAdminUser = Static<typeof UpdateAdminUser>;

/** One audit log entry: who did what to what, what it was before and after, and when. */
export const AuditEntry = Type.Object(
  {
    id: Uuid,
    at: Timestamp,
    actor_id: Type.Union([Uuid, Type.Null()], { description: 'the admin who acted; null for the server itself or its command line' }),
    action: Type.String({ description: 'one of AUDIT_ACTIONS' }),
    target_type: Type.Union([Type.Literal('user'), Type.Literal('message'), Type.Literal('conversation'), Type.Literal('report'), Type.Literal('server')]),
    target_id: Uuid,
    conversation_id: Type.Union([Uuid, Type.Null()], { description: 'the conversation the target is in, when it is in one' }),
    before: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
    after: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
    request_id: Type.Union([Type.String(), Type.Null()], { description: 'the id of the request that made it (as in the server log and a 500\'s request_id), or null' }),
  },
  { title: 'AuditEntry' },
);
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditEntryList = Type.Object(
  { entries: Type.Array(AuditEntry), next_cursor: Type.Union([Type.String(), Type.Null()]) },
  { title: 'AuditEntryList' },
);
export type AuditEntryList = Static<typeof AuditEntryList>;

/** GET /admin/audit: newest first; every filter optional, all of them ANDed. */
export const AuditQuery = Type.Object(
  {
    action: Type.Optional(Type.Union(AUDIT_ACTIONS.map((a) => Type.Literal(a)), { description: 'one of AUDIT_ACTIONS' })),
    actor_id: Type.Optional(Uuid),
    target_id: Type.Optional(Uuid),
    since: Type.Optional(Timestamp),
    until: Type.Optional(Timestamp),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: ADMIN_PAGE_MAX, default: ADMIN_PAGE_DEFAULT })),
  },
  { additionalProperties: false, title: 'AuditQuery' },
);
export type AuditQuery = Static<typeof AuditQuery>;
