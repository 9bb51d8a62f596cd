/**
 * Reports as the admins read them (docs/API.md, "Reports"): the queue's filter, a report's state,
 * the check a note gets, what closing one says, and a refused close in words. Plain functions,
 * so the wording is tested without a browser; the reporter's side is report-reason.ts.
 */
import type { Report } from '@pneumatic/client';
import { PneumaticError } from '@pneumatic/client';
import { REPORT_NOTE_MAX_CHARS } from '@pneumatic/protocol';
import { errorText } from './errors.js';
import { overLimit } from './limits.js';

/** The statuses an admin may list, in the order the filter offers them: the open queue first. */
export const REPORT_FILTERS = ['open', 'resolved', 'dismissed'] as const satisfies ReadonlyArray<Report['status']>;
export type ReportFilter = (typeof REPORT_FILTERS)[number];

const FILTER_LABELS: Record<ReportFilter, string> = { open: 'Open (oldest first)', resolved: 'Resolved', dismissed: 'Dismissed' };

export function reportFilterLabel(filter: ReportFilter): string {
  return FILTER_LABELS[filter];
}

/** A note is optional; only its length is checked, as the server counts it. */
export function noteProblem(note: string): string | null {
  return overLimit(note, REPORT_NOTE_MAX_CHARS);
}

/** A refused close, in words: another admin closed it the other way first (the first decision stands). */
export function closeErrorText(error: unknown): string {
  if (error instanceof PneumaticError) {
    if (error.code === 'report_closed') return `Another admin already ${closedAs(error.message)} this report: the first decision stands.`;
    if (error.code === 'not_found') return 'This report no longer exists.';
    if (error.code === 'forbidden') return 'Only the server’s admins may close reports.';
  }
  return errorText(error);
}

/** What the status line says once a report is closed. */
export function closedNotice(status: 'resolved' | 'dismissed'): string {
  return status === 'resolved' ? 'Report resolved: it left the open queue.' : 'Report dismissed: it left the open queue.';
}

/** A report's state in a word: "Open", "Resolved", "Dismissed". */
export function reportStatusLabel(status: Report['status']): string {
  return status === 'open' ? 'Open' : status === 'resolved' ? 'Resolved' : 'Dismissed';
}

/** The way it was closed, from the server's detail ("This report was dismissed already."); "closed" when it does not say. */
function closedAs(detail: string): string {
  return /\b(resolved|dismissed)\b/.exec(detail)?.[1] ?? 'closed';
}
