/**
 * Reports in words (src/lib/report-reason.ts for the reporter, src/lib/report-text.ts for the
 * admins; docs/API.md, "Reports"): the reason and note checked as the server counts them, the
 * confirmation, the refusals a reporter or an admin meets, and the Reports screen's address.
 */
import { PneumaticError } from '@pneumatic/client';
import { REPORT_NOTE_MAX_CHARS, REPORT_REASON_MAX_CHARS } from '@pneumatic/protocol';
import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash } from '../../src/lib/route.js';
import { REASON_HINT, REPORTED_TEXT, reasonProblem, reportErrorText } from '../../src/lib/report-reason.js';
import { REPORT_FILTERS, closeErrorText, closedNotice, noteProblem, reportFilterLabel, reportStatusLabel } from '../../src/lib/report-text.js';

describe('reasonProblem', () => {
  it('asks for a reason when there is none, or only spaces', () => {
    expect(reasonProblem('')).toBe('Say why you report this message.');
    expect(reasonProblem('  \n ')).toBe('Say why you report this message.');
  });

  it('takes 1 to 1000 characters, counted in code points as the server counts them (an emoji is one)', () => {
    expect(reasonProblem('x')).toBeNull();
    expect(reasonProblem('😡'.repeat(1000))).toBeNull();
    expect(reasonProblem('x'.repeat(1001))).toBe('1 character over the 1000-character limit.');
    expect(reasonProblem('😡'.repeat(1003))).toBe('3 characters over the 1000-character limit.');
  });

  it('uses the protocol\'s limit, which the hint names', () => {
    expect(REPORT_REASON_MAX_CHARS).toBe(1000);
    expect(reasonProblem('x'.repeat(REPORT_REASON_MAX_CHARS))).toBeNull();
    expect(REASON_HINT).toBe('Required, up to 1000 characters.');
  });
});

describe('noteProblem', () => {
  it('takes no note, or one up to the protocol\'s limit', () => {
    expect(noteProblem('')).toBeNull();
    expect(noteProblem('x'.repeat(REPORT_NOTE_MAX_CHARS))).toBeNull();
    expect(noteProblem('x'.repeat(REPORT_NOTE_MAX_CHARS + 2))).toBe(`2 characters over the ${REPORT_NOTE_MAX_CHARS}-character limit.`);
  });
});

describe('reporting, in words', () => {
  it('confirms the same way for a new report and one made before (201 and 200)', () => {
    expect(REPORTED_TEXT).toBe("Reported to the server's admins.");
  });

  it('says why a report was refused', () => {
    expect(reportErrorText(new PneumaticError('message_deleted', 'This message is deleted already.', 409))).toBe('This message was deleted meanwhile: there is nothing left to report.');
    expect(reportErrorText(new PneumaticError('not_found', 'Message not found', 404))).toBe('This message no longer exists.');
    expect(reportErrorText(new PneumaticError('not_member', 'Not a member', 403))).toBe('You are no longer a member of this conversation.');
    expect(reportErrorText(new PneumaticError('invalid_request', 'You cannot report your own message.', 400))).toBe('You cannot report your own message.');
    expect(reportErrorText(new PneumaticError('network', 'offline'))).toBe('No connection.');
    expect(reportErrorText(new Error('boom'))).toBe('Something went wrong.');
  });
});

describe('closing reports, in words', () => {
  it('says another admin decided first, and how, when the report was closed the other way (409 report_closed)', () => {
    expect(closeErrorText(new PneumaticError('report_closed', 'This report was dismissed already.', 409))).toBe('Another admin already dismissed this report: the first decision stands.');
    expect(closeErrorText(new PneumaticError('report_closed', 'This report was resolved already.', 409))).toBe('Another admin already resolved this report: the first decision stands.');
    expect(closeErrorText(new PneumaticError('report_closed', 'Report closed', 409))).toBe('Another admin already closed this report: the first decision stands.');
  });

  it('names the other refusals', () => {
    expect(closeErrorText(new PneumaticError('not_found', 'No report has this id.', 404))).toBe('This report no longer exists.');
    expect(closeErrorText(new PneumaticError('forbidden', 'Forbidden', 403))).toBe('Only the server’s admins may close reports.');
  });

  it('says the closed report left the open queue', () => {
    expect(closedNotice('resolved')).toBe('Report resolved: it left the open queue.');
    expect(closedNotice('dismissed')).toBe('Report dismissed: it left the open queue.');
  });

  it('offers the open queue first, then the closed ones, each with its word', () => {
    expect(REPORT_FILTERS).toEqual(['open', 'resolved', 'dismissed']);
    expect(REPORT_FILTERS.map(reportFilterLabel)).toEqual(['Open (oldest first)', 'Resolved', 'Dismissed']);
    expect(REPORT_FILTERS.map(reportStatusLabel)).toEqual(['Open', 'Resolved', 'Dismissed']);
  });
});

describe('the Reports screen\'s address', () => {
  it('reads #/admin/reports as Administration → Reports, and writes it back', () => {
    expect(parseRoute('#/admin/reports')).toEqual({ kind: 'admin', tab: 'reports' });
    expect(routeHash({ kind: 'admin', tab: 'reports' })).toBe('#/admin/reports');
    expect(routeHash({ kind: 'admin', tab: 'users' })).toBe('#/admin');
    expect(routeHash({ kind: 'admin', tab: 'audit' })).toBe('#/admin/audit');
  });

  it('takes anything under it for the home screen', () => {
    expect(parseRoute('#/admin/reports/1')).toEqual({ kind: 'home' });
  });
});
