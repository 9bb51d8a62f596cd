/**
 * What a display name or status text may contain (docs/API.md, "Profiles"). They are shown
 * next to other people's words everywhere, so the characters that make text lie about itself
 * are refused rather than stripped (a client should know what was stored): controls, bidi
 * overrides, isolates and marks (which can reverse the text around a name: "evil‮gnp.exe"),
 * and zero-width or invisible characters (two names that look identical but differ).
 */
import { AppError } from '../errors.js';
import type { ErrorCode } from '@pneumatic/protocol';

// C0 and C1 controls (tab and newline too), bidi marks/overrides/isolates, zero-width and
// invisible formatting characters, soft hyphen, Mongolian vowel separator, line/paragraph separators.
const FORBIDDEN = /[\u0000-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u00AD\u180E\u2028\u2029]/u;

export interface ProfileTextRule {
  field: 'display_name' | 'status_text';
  maxChars: number;
  code: ErrorCode;
}

/**
 * The text as stored: NFC, trimmed; null for null or blank (clearing the field). Throws the
 * rule's code when it contains a forbidden character or is over the limit in code points.
 */
export function normalizeProfileText(value: string | null, rule: ProfileTextRule): string | null {
  if (value === null) return null;
  const label = rule.field === 'display_name' ? 'A display name' : 'A status text';
  // Checked before trimming: trim() removes U+FEFF, which must be refused, not quietly dropped.
  if (FORBIDDEN.test(value)) {
    throw new AppError(rule.code, `${label} may not contain control, bidirectional-override or invisible characters.`);
  }
  const text = value.normalize('NFC').trim();
  if (text.length === 0) return null;
  const chars = [...text].length;
  if (chars > rule.maxChars) throw new AppError(rule.code, `${label} is at most ${rule.maxChars} characters; this one has ${chars}.`);
  return text;
}
