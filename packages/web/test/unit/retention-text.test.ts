/**
 * Retention in words and numbers (src/lib/retention-text.ts; docs/API.md, "Retention"): the
 * period a form takes, the policy a conversation is under, the question before a shorter period,
 * where a history cut by retention starts, the Retention screen's address and a refusal's place.
 */
import { PneumaticError } from '@pneumatic/client';
import { RETENTION_DAYS_MAX as PROTOCOL_MAX, effectiveRetentionDays as protocolEffective } from '@pneumatic/protocol';
import { describe, expect, it } from 'vitest';
import { describeError } from '../../src/lib/errors.js';
import {
  EXPIRED_HISTORY_TEXT,
  RETENTION_DAYS_HINT,
  RETENTION_DAYS_MAX,
  conversationPolicyText,
  daysText,
  effectiveRetentionDays,
  historyStartsAfterExpiry,
  parseRetentionDays,
  retentionDaysProblem,
  retentionPolicyText,
  retentionShortens,
  shorterPeriodQuestion,
} from '../../src/lib/retention-text.js';
import { parseRoute, routeHash } from '../../src/lib/route.js';

describe('retentionDaysProblem', () => {
  it('takes whole days from 1 to 36,500, the protocol\'s limit', () => {
    expect(RETENTION_DAYS_MAX).toBe(PROTOCOL_MAX);
    for (const text of ['1', '30', ' 365 ', '36500']) expect(retentionDaysProblem(text)).toBeNull();
    expect(parseRetentionDays(' 365 ')).toBe(365);
    expect(RETENTION_DAYS_HINT).toBe('Whole days, 1 to 36,500.');
  });

  it('refuses nothing, 0, negatives, fractions, exponents and more than 36,500, in words', () => {
    expect(retentionDaysProblem('')).toBe('Enter a number of days.');
    expect(retentionDaysProblem('  ')).toBe('Enter a number of days.');
    expect(retentionDaysProblem('0')).toBe('Use 1 to 36,500 days.');
    expect(retentionDaysProblem('36501')).toBe('Use 1 to 36,500 days.');
    for (const text of ['-5', '1.5', '1e3', 'thirty']) expect(retentionDaysProblem(text)).toBe('Use a whole number of days.');
  });
});

describe('the policy in words', () => {
  it('says how old a deleted message is, or that messages are kept forever', () => {
    expect(daysText(1)).toBe('1 day');
    expect(daysText(36500)).toBe('36,500 days');
    expect(retentionPolicyText(30)).toBe('Messages older than 30 days are deleted.');
    expect(retentionPolicyText(1)).toBe('Messages older than 1 day are deleted.');
    expect(retentionPolicyText(null)).toBe('Messages are kept forever.');
  });

  it('takes the shorter of the server\'s and the conversation\'s period, as the protocol does', () => {
    const cases: Array<[number | null, number | null | undefined]> = [[null, undefined], [null, null], [null, 7], [30, undefined], [30, null], [30, 7], [7, 30], [30, 30]];
    for (const [server, own] of cases) expect(effectiveRetentionDays(server, own)).toBe(protocolEffective(server, own));
  });

  it('words a conversation\'s policy for an admin, who knows the server\'s period', () => {
    expect(conversationPolicyText(undefined, null)).toBe('Messages are kept forever. This conversation follows the server’s policy.');
    expect(conversationPolicyText(undefined, 90)).toBe('Messages older than 90 days are deleted. This conversation follows the server’s policy.');
    expect(conversationPolicyText(30, null)).toBe('Messages older than 30 days are deleted.');
    expect(conversationPolicyText(30, 90)).toBe('Messages older than 30 days are deleted.');
    expect(conversationPolicyText(30, 7)).toBe('Messages older than 7 days are deleted. The server’s period is shorter than this conversation’s 30 days.');
  });

  it('words it for a member, who does not know the server\'s period', () => {
    expect(conversationPolicyText(undefined, undefined)).toBe('This conversation follows the server’s retention policy.');
    expect(conversationPolicyText(30, undefined)).toBe('Messages older than 30 days are deleted (sooner if the server’s own period is shorter).');
  });
});

describe('retentionShortens', () => {
  it('asks first when a period deletes messages kept until now: a first one, or a shorter one', () => {
    expect(retentionShortens(null, 30)).toBe(true);
    expect(retentionShortens(30, 7)).toBe(true);
    expect(retentionShortens(7, 30)).toBe(false);
    expect(retentionShortens(30, 30)).toBe(false);
    expect(retentionShortens(30, null)).toBe(false);
    expect(retentionShortens(null, null)).toBe(false);
    expect(shorterPeriodQuestion(7, 'in every conversation')).toBe('Messages older than 7 days will be deleted in every conversation for good. Save?');
  });
});

describe('historyStartsAfterExpiry', () => {
  const loaded = { loaded: true, hasMore: true };
  const all = { loaded: true, hasMore: false };

  it('says so when the oldest message held is the one after the expired ones', () => {
    expect(historyStartsAfterExpiry(41, loaded, 40)).toBe(true);
    expect(historyStartsAfterExpiry(42, loaded, 40)).toBe(false);
    expect(historyStartsAfterExpiry(41, loaded, 0)).toBe(false);
  });

  it('says so when the whole history is loaded and does not start at seq 1 (seqs have no gaps)', () => {
    expect(historyStartsAfterExpiry(12, all, 0)).toBe(true);
    expect(historyStartsAfterExpiry(1, all, 0)).toBe(false);
    expect(historyStartsAfterExpiry(12, { loaded: false, hasMore: false }, 11)).toBe(false);
  });

  it('says so for an empty history only when messages expired', () => {
    expect(historyStartsAfterExpiry(undefined, all, 40)).toBe(true);
    expect(historyStartsAfterExpiry(undefined, all, 0)).toBe(false);
    expect(historyStartsAfterExpiry(undefined, loaded, 40)).toBe(false);
    expect(EXPIRED_HISTORY_TEXT).toBe('Older messages were deleted by the retention policy.');
  });
});

describe('the Retention screen', () => {
  it('has its own address in Administration', () => {
    expect(parseRoute('#/admin/retention')).toEqual({ kind: 'admin', tab: 'retention' });
    expect(routeHash({ kind: 'admin', tab: 'retention' })).toBe('#/admin/retention');
  });

  it('shows a refused period under the days, whichever body field the server names', () => {
    const fields = { message_retention_days: 'days', retention_days: 'days' };
    const refused = (pointer: string) => new PneumaticError('invalid_request', 'The request is invalid.', 400, null, { errors: [{ pointer, detail: 'must be <= 36500' }] });
    expect(describeError(refused('/message_retention_days'), fields)).toEqual({ fields: { days: 'Must be <= 36500.' }, form: null });
    expect(describeError(refused('/retention_days'), fields)).toEqual({ fields: { days: 'Must be <= 36500.' }, form: null });
    const notOwner = new PneumaticError('not_owner', 'Only owners may change the retention period.', 403);
    expect(describeError(notOwner, fields)).toEqual({ fields: {}, form: 'Only owners may change the retention period.' });
  });
});
