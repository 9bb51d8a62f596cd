/**
 * The words the app shows for refusals about conversation roles and blocking (lib/errors.ts):
 * each says what happened and what to do, and a refusal to start a conversation lands on the
 * members field.
 */
import { PneumaticError } from '@pneumatic/client';
import { describe, expect, it } from 'vitest';
import { describeError, errorText } from '../../src/lib/errors.js';

const refusal = (code: string, message: string, status: number) => new PneumaticError(code, message, status);

describe('errorText', () => {
  it('explains that the only owner must make another owner before stepping down', () => {
    expect(errorText(refusal('last_owner', 'The conversation needs an owner.', 409))).toBe('You are the only owner: make someone else an owner first, then you can step down.');
  });

  it("keeps the server's reason for not_owner and says roles may have changed", () => {
    expect(errorText(refusal('not_owner', "Only an owner may change members' roles.", 403))).toBe("Not allowed: only an owner may change members' roles. Roles may have changed meanwhile.");
  });

  it('says why someone who blocks you cannot be added', () => {
    expect(errorText(refusal('blocked', 'This user does not accept conversations with you.', 403))).toBe('They do not accept conversations with you, so you cannot add them.');
  });
});

describe('describeError: blocked', () => {
  const blocked = refusal('blocked', 'This user does not accept conversations with you.', 403);

  it('puts the refusal on the members field of a form that has one', () => {
    const { fields, form } = describeError(blocked, { member_ids: 'members' });
    expect(form).toBeNull();
    expect(fields.members).toBe('This user does not accept conversations with you. Someone who has blocked you cannot be put in a conversation by you.');
  });

  it('puts it on the whole form otherwise', () => {
    expect(describeError(blocked).form).toMatch(/^This user does not accept conversations with you\./);
  });
});
