/**
 * What a display name or status text may contain (docs/API.md, "Profiles"). They are shown
 * next to other people's words everywhere, so the characters that make text lie about itself
 * are refused rather than stripped (a client should know what was stored): controls, bidi
 * overrides, isolates and marks (which can reverse the text around a name: "evil‮gnp.exe"),
 * and zero-width or invisible characters (two names that look identical but differ).
 */
import { AppError } from '../errors.js';
import type { ErrorCode } from '@pneumatic/protocol';

// Controls (C0, C1), every format character (bidi marks, overrides and isolates, zero-width
// characters, the BOM, soft hyphen, tags, ...), line and paragraph separators, and letters
// that draw nothing (Hangul fillers, the blank Braille pattern, CGJ, Khmer inherent vowels).
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u115F\u1160\u2800\u3164\uFFA0]|\u034F|\u17B4|\u17B5/u;

// Format characters that do a job in their place, taken out before the check above:
// a zero-width joiner inside an emoji sequence (👩‍💻, 🏳️‍🌈), a joiner or non-joiner between letters
// of a script that shapes with them (Persian "می‌خواهم", Indic conjuncts), and the tag characters
// of a subdivision flag (🏴 England).
const EMOJI_JOINER = /(?<=\p{Extended_Pictographic}(?:[\u{1F3FB}-\u{1F3FF}]|\uFE0F)?)\u200D(?=\p{Extended_Pictographic})/gu;
const SHAPING_SCRIPTS = '\\p{Script=Arabic}\\p{Script=Syriac}\\p{Script=Devanagari}\\p{Script=Bengali}\\p{Script=Gurmukhi}\\p{Script=Gujarati}\\p{Script=Oriya}\\p{Script=Tamil}\\p{Script=Telugu}\\p{Script=Kannada}\\p{Script=Malayalam}\\p{Script=Sinhala}';
const SCRIPT_JOINER = new RegExp(`(?<=[${SHAPING_SCRIPTS}])[\\u200C\\u200D](?=[${SHAPING_SCRIPTS}])`, 'gu');
const FLAG_TAGS = /(?<=\u{1F3F4})[\u{E0020}-\u{E007E}]+\u{E007F}/gu;

function hasForbidden(value: string): boolean {
  return FORBIDDEN.test(value.replace(EMOJI_JOINER, '').replace(SCRIPT_JOINER, '').replace(FLAG_TAGS, ''));
}

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
  if (hasForbidden(value)) {
    throw new AppError(rule.code, `${label} may not contain control, bidirectional-override or invisible characters.`);
  }
  const text = value.normalize('NFC').trim();
  if (text.length === 0) return null;
  const chars = [...text].length;
  if (chars > rule.maxChars) throw new AppError(rule.code, `${label} is at most ${rule.maxChars} characters; this one has ${chars}.`);
  return text;
}
