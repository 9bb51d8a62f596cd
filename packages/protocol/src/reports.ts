/**
 * Reports (docs/API.md, "Reports"): a member reports a message to the server's admins, who work
 * through a queue and resolve or dismiss each report (written to the audit log).
 */
import { Type, type Static } from 'typebox';
import { ADMIN_PAGE_DEFAULT, ADMIN_PAGE_MAX } from './admin.js';
import { Timestamp, Uuid } from './models.js';
import { STORABLE_TEXT_PATTERN } from './limits.js';

export const REPORT_REASON_MAX_CHARS = 1000;
export const REPORT_NOTE_MAX_CHARS = 1000;
export const REPORT_STATUSES = ['open', 'resolved', 'dismissed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** POST /messages/{message_id}/reports. */
export const CreateReport = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: REPORT_REASON_MAX_CHARS, pattern: STORABLE_TEXT_PATTERN, description: 'why, in the reporter\'s words' }) },
  { additionalProperties: false, title: 'CreateReport' },
);
export type CreateReport = Static<typeof CreateReport>;

/** A report as its reporter and the admins see it. */
export const Report = Type.Object(
  {
    id: Uuid,
    message_id: Uuid,
    conversation_id: Uuid,
    reporter_id: Uuid,
    /** Who sent the reported message. */
    sender_id: Uuid,
    /** The message's text when it was reported: what the admins judge, even if it is edited or deleted since. */
    content: Type.String(),
    reason: Type.String(),
    status: Type.Union([Type.Literal('open'), Type.Literal('resolved'), Type.Literal('dismissed')]),
    created_at: Timestamp,
    resolved_at: Type.Union([Timestamp, Type.Null()]),
    resolved_by: Type.Union([Uuid, Type.Null()]),
    note: Type.Union([Type.String(), Type.Null()], { description: 'what the admin who closed it wrote' }),
  },
  { title: 'Report' },
);
export type Report = Static<typeof Report>;

export const ReportList = Type.Object({ reports: Type.Array(Report), next_cursor: Type.Union([Type.String(), Type.Null()]) }, { title: 'ReportList' });
export type ReportList = Static<typeof ReportList>;

/** GET /admin/reports: the open ones by default, oldest first (a queue). */
export const ReportsQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('resolved'), Type.Literal('dismissed')], { default: 'open' })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: ADMIN_PAGE_MAX, default: ADMIN_PAGE_DEFAULT })),
  },
  { additionalProperties: false, title: 'ReportsQuery' },
);
export type ReportsQuery = Static<typeof ReportsQuery>;

/** PATCH /admin/reports/{id}: close it, with an optional note. */
export const ResolveReport = Type.Object(
  {
    status: Type.Union([Type.Literal('resolved'), Type.Literal('dismissed')]),
    note: Type.Optional(Type.String({ maxLength: REPORT_NOTE_MAX_CHARS, pattern: STORABLE_TEXT_PATTERN })),
  },
  { additionalProperties: false, title: 'ResolveReport' },
);
export type ResolveReport = Static<typeof ResolveReport>;
