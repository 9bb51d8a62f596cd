/** Turns SDK failures into words a person can act on, attached to the field they concern. */
import { PneumaticError } from '@pneumatic/client';

export interface FormErrors {
  /** Per field name (e.g. `username`), shown under that field. */
  fields: Record<string, string>;
  /** Not about one field (network, rate limit). */
  form: string | null;
}

const FIELD_IN_DETAIL = /\b(username|password|title|content|member_ids|user_id)\b/;

/** Maps an error from register/login/create calls to field and form errors. */
export function describeError(error: unknown, fieldFor: Record<string, string> = {}): FormErrors {
  if (!(error instanceof PneumaticError)) return { fields: {}, form: 'Something went wrong. Please try again.' };
  switch (error.code) {
    case 'username_taken':
      return { fields: { username: 'That username is taken. Pick another one.' }, form: null };
    case 'invalid_credentials':
      return { fields: { password: 'Wrong username or password.' }, form: null };
    case 'rate_limited':
      return { fields: {}, form: `Too many attempts. Try again in ${retryIn(error.retryAfterMs)}.` };
    case 'network':
      return { fields: {}, form: 'Cannot reach the server. Check your connection and try again.' };
    case 'invalid_request': {
      const field = FIELD_IN_DETAIL.exec(error.message)?.[1];
      const name = field ? (fieldFor[field] ?? field) : null;
      return name ? { fields: { [name]: sentence(error.message) }, form: null } : { fields: {}, form: sentence(error.message) };
    }
    default:
      return { fields: {}, form: sentence(error.message) };
  }
}

/** A short human phrase for any failure (inline notices). */
export function errorText(error: unknown): string {
  if (error instanceof PneumaticError) {
    if (error.code === 'network') return 'No connection.';
    if (error.code === 'deadline_exceeded') return 'Not sent: no answer from the server.';
    if (error.code === 'rate_limited') return `Slow down: try again in ${retryIn(error.retryAfterMs)}.`;
    if (error.code === 'not_member') return 'You are no longer a member of this conversation.';
    return sentence(error.message);
  }
  return 'Something went wrong.';
}

function retryIn(ms: number | null): string {
  const seconds = Math.max(1, Math.ceil((ms ?? 1000) / 1000));
  return seconds === 1 ? '1 second' : `${seconds} seconds`;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return 'Something went wrong.';
  const first = trimmed[0]!.toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}
