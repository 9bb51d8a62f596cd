/**
 * The username and display name of an account made by a first single sign-on (docs/API.md,
 * "Single sign-on"): the provider's `preferred_username`, else the e-mail's local part, else the
 * name, cleaned to the username alphabet (A-Z a-z 0-9 _ . -); a taken name gets a number
 * (`jdoe`, `jdoe2`, …). Never an existing account: a clash is a new name, not a login.
 */
import { DISPLAY_NAME_MAX_CHARS } from '@pneumatic/protocol';
import type { VerifiedClaims } from '../ports/openid-providers.js';
import { normalizeProfileText } from '../profiles/profile-text.policy.js';
import { foldForSearch } from '../profiles/search-terms.js';

export interface UsernameRules {
  minChars: number;
  maxChars: number;
}

/** The name to try first: the claims' best name in the username alphabet, padded or cut to fit. */
export function baseUsername(claims: VerifiedClaims, rules: UsernameRules): string {
  const sources = [claims.preferred_username, claims.email?.split('@')[0] ?? null, claims.name];
  for (const source of sources) {
    if (source === null) continue;
    // Accents folded away ("Zoë" → "zoe"), spaces become dots, everything else outside the alphabet goes.
    const cleaned = foldForSearch(source).replace(/\s+/g, '.').replace(/[^a-z0-9_.-]/g, '').replace(/^[.-]+|[.-]+$/g, '');
    if (cleaned.length > 0) return fit(cleaned, rules);
  }
  return fit('user', rules);
}

/** The `attempt`-th candidate (1: the base itself; 2: base2, …), cut so the number always fits. */
export function usernameCandidate(base: string, attempt: number, rules: UsernameRules): string {
  if (attempt <= 1) return base;
  const suffix = String(attempt);
  return base.slice(0, rules.maxChars - suffix.length) + suffix;
}

/** The provider's `name` when it is an acceptable display name, else none (never a reason to refuse a login). */
export function displayNameOf(claims: VerifiedClaims): string | null {
  if (claims.name === null) return null;
  try {
    return normalizeProfileText(claims.name, { field: 'display_name', maxChars: DISPLAY_NAME_MAX_CHARS, code: 'invalid_display_name' });
  } catch {
    return null;
  }
}

function fit(name: string, rules: UsernameRules): string {
  const cut = name.slice(0, rules.maxChars);
  return cut.length >= rules.minChars ? cut : cut.padEnd(rules.minChars, '0');
}
