/** What a display name or status text may contain (docs/API.md, "Profiles"). */
import { describe, expect, it } from 'vitest';
import { normalizeProfileText, type ProfileTextRule } from '../../../src/domain/profiles/profile-text.policy.js';

const NAME: ProfileTextRule = { field: 'display_name', maxChars: 8, code: 'invalid_display_name' };
const STATUS: ProfileTextRule = { field: 'status_text', maxChars: 8, code: 'invalid_status_text' };

const hex = (c: number) => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Every character class the policy refuses, by why: each would let text lie about itself. */
const FORBIDDEN: Record<string, number[]> = {
  'C0 controls (tab and newline too)': range(0x00, 0x1f),
  'DEL and C1 controls': range(0x7f, 0x9f),
  'bidi embeddings and overrides': range(0x202a, 0x202e),
  'bidi isolates': range(0x2066, 0x2069),
  'bidi marks (LRM, RLM, ALM)': [0x200e, 0x200f, 0x061c],
  'zero-width space, non-joiner and joiner': range(0x200b, 0x200d),
  'word joiner and invisible operators': range(0x2060, 0x2064),
  'byte order mark (zero-width no-break space)': [0xfeff],
  'soft hyphen': [0x00ad],
  'Mongolian vowel separator': [0x180e],
  'line and paragraph separators': [0x2028, 0x2029],
  'tag characters outside a flag': [0xe0001, 0xe0041, 0xe007f],
  'characters that draw nothing (Hangul fillers, blank Braille, CGJ, Khmer inherent vowels)': [0x3164, 0x115f, 0x1160, 0xffa0, 0x2800, 0x034f, 0x17b4, 0x17b5],
};

const WIDE: ProfileTextRule = { field: 'display_name', maxChars: 64, code: 'invalid_display_name' };

describe('normalizeProfileText', () => {
  for (const [what, codePoints] of Object.entries(FORBIDDEN)) {
    it(`refuses ${what} anywhere in the text, with the rule's code`, () => {
      for (const c of codePoints) {
        const ch = String.fromCodePoint(c);
        for (const text of [`${ch}ab`, `a${ch}b`, `ab${ch}`]) {
          expect(() => normalizeProfileText(text, NAME), `${hex(c)} in a display name`).toThrow(expect.objectContaining({ code: 'invalid_display_name', status: 400 }));
          expect(() => normalizeProfileText(text, STATUS), `${hex(c)} in a status text`).toThrow(expect.objectContaining({ code: 'invalid_status_text' }));
        }
      }
    });
  }

  it('keeps the joiners text needs: in emoji sequences, between letters of shaping scripts, and a subdivision flag’s tags', () => {
    for (const text of ['Dev 👩‍💻', '🏳️‍🌈 Pride', '👨🏽‍🚀', 'می‌خواهم', 'क्‍ष', '🏴󠁧󠁢󠁥󠁮󠁧󠁿 fan']) expect(normalizeProfileText(text, WIDE)).toBe(text.normalize('NFC'));
    // The same characters between Latin letters, or a joiner after a space, only hide something.
    for (const text of ['An\u200Da', 'An\u200Ca', '👩 \u200D💻', 'a\u{E0067}\u{E007F}']) expect(() => normalizeProfileText(text, WIDE)).toThrow(expect.objectContaining({ code: 'invalid_display_name' }));
  });

  it('refuses a byte order mark at either end rather than trimming it away', () => {
    expect(() => normalizeProfileText('\uFEFFAnna', NAME)).toThrow(expect.objectContaining({ code: 'invalid_display_name' }));
    expect(() => normalizeProfileText('Anna\uFEFF', NAME)).toThrow(expect.objectContaining({ code: 'invalid_display_name' }));
  });

  it('says what is wrong without echoing the text', () => {
    expect(() => normalizeProfileText('evil\u202Egnp.exe', NAME)).toThrow(/A display name may not contain control, bidirectional-override or invisible characters/);
    try {
      normalizeProfileText('evil\u202Egnp.exe', STATUS);
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/^A status text/);
      expect((error as Error).message).not.toContain('evil');
    }
  });

  it('keeps ordinary letters, punctuation and spaces of any script, and emoji', () => {
    for (const text of ['José', 'Łukasz', 'Ørsted', 'مریم', 'דוד', '山田 太郎', 'O’Brien', 'a b', '😀🎉']) {
      expect(normalizeProfileText(text, NAME)).toBe(text);
    }
  });

  it('stores the text in NFC', () => {
    const decomposed = 'Jose\u0301';
    expect(normalizeProfileText(decomposed, NAME)).toBe('Jos\u00e9');
    expect(normalizeProfileText('\u212B', NAME)).toBe('\u00c5');
  });

  it('trims whitespace at both ends (including no-break and ideographic spaces) and keeps it inside', () => {
    expect(normalizeProfileText('  Ann  Li \u00a0\u3000', NAME)).toBe('Ann  Li');
  });

  it('returns null for null, empty or blank text: the field is cleared', () => {
    for (const blank of [null, '', ' ', '   ', '\u00a0', '\u3000 ']) expect(normalizeProfileText(blank, NAME)).toBeNull();
  });

  it('counts the limit in code points after trimming, so an emoji is one character and surrounding spaces are free', () => {
    expect(normalizeProfileText('😀'.repeat(8), NAME)).toBe('😀'.repeat(8));
    expect(normalizeProfileText(`  ${'a'.repeat(8)}  `, NAME)).toBe('a'.repeat(8));
    expect(() => normalizeProfileText('😀'.repeat(9), NAME)).toThrow(expect.objectContaining({ code: 'invalid_display_name' }));
    expect(() => normalizeProfileText('a'.repeat(9), STATUS)).toThrow(/A status text is at most 8 characters; this one has 9/);
  });

  it('counts after NFC, so a letter typed with a combining accent counts once', () => {
    expect(normalizeProfileText('e\u0301'.repeat(8), NAME)).toBe('\u00e9'.repeat(8));
  });
});
