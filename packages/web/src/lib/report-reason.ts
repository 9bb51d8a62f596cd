/**
 * Reporting a message, from the reporter's side (docs/API.md, "Reports"): the check a reason gets
 * before it is sent, the confirmation, and the refusals in words. Kept apart from
 * report-text.ts (the admins' side, loaded with Administration) so neither half of the app
 * carries the other's.
 */
import { PneumaticError } from '@pneumatic/client';
import { errorText } from './errors.js';
import { overLimit } from './limits.js';

/**
 * Protocol's REPORT_REASON_MAX_CHARS (not imported: it sits among the wire schemas, whose module
 * would bring its schemas into the first-load JavaScript).
 */
const REPORT_REASON_MAX_CHARS = 1000;

/** Shown when the server took the report, new (201) or one you made before (200): either way the admins have it. */
export const REPORTED_TEXT = "Reported to the server's admins.";

/** Under the reason field until there is a problem to show instead. */
export const REASON_HINT = `Required, up to ${REPORT_REASON_MAX_CHARS} characters.`;

/** Why a reason cannot be sent yet: none typed (spaces alone say nothing), or over the limit, counted as the server counts. */
export function reasonProblem(reason: string): string | null {
  if (reason.trim() === '') return 'Say why you report this message.';
  return overLimit(reason, REPORT_REASON_MAX_CHARS);
}

/** A refused report, in words the reporter can act on. */
export function reportErrorText(error: unknown): string {
  if (error instanceof PneumaticError) {
    if (error.code === 'message_deleted') return 'This message was deleted meanwhile: there is nothing left to report.';
    if (error.code === 'not_found') return 'This message no longer exists.';
  }
  return errorText(error);
}
