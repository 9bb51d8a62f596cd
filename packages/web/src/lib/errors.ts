/** Turns SDK failures into words a person can act on, attached to the field they concern. */
import { PneumaticError } from '@pneumatic/client';

/** What a deactivated account is told (docs/API.md, "Deactivation"): at log-in, and when its open pages are closed. */
export const ACCOUNT_DEACTIVATED_TEXT = 'This account was deactivated by an administrator.';

export interface FormErrors {
  /** Per field name (e.g. `username`), shown under that field. */
  fields: Record<string, string>;
  /** Not about one field (network, rate limit). */
  form: string | null;
}

/**
 * Maps an error from register/login/create calls to field and form errors. Validation problems
 * name their fields in `errors` (RFC 6901 pointers, e.g. `/username`); `fieldFor` maps a
 * pointer's first segment to the form field that shows it (`member_ids` → `members`). Errors
 * for fields the form does not show, and a problem without `errors`, go to the whole form.
 */
export function describeError(error: unknown, fieldFor: Record<string, string> = {}): FormErrors {
  if (!(error instanceof PneumaticError)) return { fields: {}, form: 'Something went wrong. Please try again.' };
  switch (error.code) {
    case 'username_taken':
      return { fields: { username: 'That username is taken. Pick another one.' }, form: null };
    // Sign-up under REGISTRATION=invite or closed (docs/API.md, "Registration and invites").
    case 'invite_required':
      return { fields: { invite: 'Signing up here needs an invite: open the invite link you were sent, or paste its code here.' }, form: null };
    case 'invalid_invite':
      // The server's detail says which: not valid, expired, or used as often as it allows.
      return { fields: { invite: sentence(error.message) }, form: null };
    case 'registration_closed':
      return { fields: {}, form: 'This server is closed to sign-ups: its administrators make the accounts. Ask them for one.' };
    case 'invalid_credentials':
      return { fields: { password: 'Wrong username or password.' }, form: null };
    // The right password (or provider) of an account an admin deactivated: no field is wrong.
    case 'account_deactivated':
      return { fields: {}, form: ACCOUNT_DEACTIVATED_TEXT };
    case 'wrong_password':
      return { fields: { current_password: 'That is not your current password.' }, form: null };
    case 'invalid_display_name':
      return { fields: { display_name: 'This name cannot be used: at most 64 characters, and no control, invisible or direction-changing characters.' }, form: null };
    case 'invalid_status_text':
      return { fields: { status_text: 'This status cannot be used: at most 140 characters, and no control, invisible or direction-changing characters.' }, form: null };
    // Single sign-on (docs/API.md, "Single sign-on"): the way back, or the way out, failed.
    case 'invalid_login_code':
      return { fields: {}, form: 'That sign-in did not complete: its login link has expired or was already used. Log in again.' };
    case 'provider_unavailable':
      return { fields: {}, form: 'That sign-in service cannot be reached right now. Try again in a moment.' };
    case 'rate_limited':
      return { fields: {}, form: `Too many attempts. Try again in ${retryIn(error.retryAfterMs)}.` };
    case 'network':
      return { fields: {}, form: 'Cannot reach the server. Check your connection and try again.' };
    // Starting a conversation with someone who blocks you (docs/API.md, "Blocking"): the members field.
    case 'blocked':
      return placed(fieldFor.member_ids, `${sentence(error.message)} Someone who has blocked you cannot be put in a conversation by you.`);
    default:
      return fromFieldErrors(error, fieldFor);
  }
}

/** A message on `field` when the form shows it, else on the whole form. */
function placed(field: string | undefined, message: string): FormErrors {
  return field ? { fields: { [field]: message }, form: null } : { fields: {}, form: message };
}

function fromFieldErrors(error: PneumaticError, fieldFor: Record<string, string>): FormErrors {
  const fields: Record<string, string> = {};
  const unplaced: string[] = [];
  for (const { pointer, detail } of error.errors) {
    const name = fieldName(pointer);
    const field = name ? fieldFor[name] : undefined;
    if (field && !(field in fields)) fields[field] = sentence(detail);
    else if (!field) unplaced.push(sentence(detail));
  }
  if (Object.keys(fields).length === 0 && unplaced.length === 0) return { fields: {}, form: sentence(error.message) };
  return { fields, form: unplaced.length > 0 ? unplaced.join(' ') : null };
}

/** The first segment of an RFC 6901 pointer (`/member_ids/2` → `member_ids`), unescaped (§4). */
export function fieldName(pointer: string): string | null {
  const first = pointer.split('/')[1];
  return first ? first.replace(/~1/g, '/').replace(/~0/g, '~') : null;
}

/** A short human phrase for any failure (inline notices). */
export function errorText(error: unknown): string {
  if (error instanceof PneumaticError) {
    if (error.code === 'network') return 'No connection.';
    if (error.code === 'deadline_exceeded') return 'Not sent: no answer from the server.';
    if (error.code === 'rate_limited') return `Slow down: try again in ${retryIn(error.retryAfterMs)}.`;
    if (error.code === 'not_member') return 'You are no longer a member of this conversation.';
    if (error.code === 'mention_all_forbidden') return 'Not sent: only an owner or admin may mention everyone (@all) in a conversation this large.';
    if (error.code === 'last_owner') return 'You are the only owner: make someone else an owner first, then you can step down.';
    if (error.code === 'not_owner') return `Not allowed: ${lowerFirst(sentence(error.message))} Roles may have changed meanwhile.`;
    if (error.code === 'blocked') return 'They do not accept conversations with you, so you cannot add them.';
    if (error.code === 'too_many_blocks') return 'You block as many people as you can: unblock someone first.';
    if (error.code === 'too_many_pins') return 'This conversation already has the most pins it can have: unpin one first.';
    if (error.code === 'file_too_large') return 'Too large: the server refused this file.';
    if (error.code === 'upload_quota_exceeded') return 'Your storage is full: delete messages with files to make room.';
    if (error.code === 'empty_file') return 'The file is empty.';
    if (error.code === 'upload_not_found') return 'Not sent: an attached file is no longer available.';
    if (error.code === 'aborted') return 'Cancelled.';
    if (error.code === 'not_an_image') return 'That file is not an image the server can use: pick a photo or a picture file.';
    if (error.code === 'query_too_short') return 'Type at least 2 characters.';
    return sentence(error.message);
  }
  return 'Something went wrong.';
}

function retryIn(ms: number | null): string {
  const seconds = Math.max(1, Math.ceil((ms ?? 1000) / 1000));
  return seconds === 1 ? '1 second' : `${seconds} seconds`;
}

function lowerFirst(text: string): string {
  return text[0]!.toLowerCase() + text.slice(1);
}

function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return 'Something went wrong.';
  const first = trimmed[0]!.toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}
