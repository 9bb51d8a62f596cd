/** How the directory matches people (docs/API.md, "Finding people"). */
import { describe, expect, it } from 'vitest';
import { foldForSearch, prefixUpperBound, searchTermsOf } from '../../../src/domain/profiles/search-terms.js';
import { byCodePoint } from '../../../src/store/repositories/reaction-reads.js';

describe('foldForSearch', () => {
  it('ignores case', () => {
    expect(foldForSearch('ANNA')).toBe('anna');
    expect(foldForSearch('McDonald')).toBe('mcdonald');
  });

  it('takes accents and other combining marks off, composed or typed separately', () => {
    expect(foldForSearch('José')).toBe('jose');
    expect(foldForSearch('Jose\u0301')).toBe('jose');
    expect(foldForSearch('ÅNGSTRÖM')).toBe('angstrom');
    expect(foldForSearch('Dvořák')).toBe('dvorak');
    expect(foldForSearch('Nguyễn')).toBe('nguyen');
  });

  it('spells letters with a built-in stroke or ligature as typed without it', () => {
    expect(foldForSearch('Ørsted')).toBe('orsted');
    expect(foldForSearch('Łukasz')).toBe('lukasz');
    expect(foldForSearch('Straße')).toBe('strasse');
    expect(foldForSearch('Æsir')).toBe('aesir');
    expect(foldForSearch('Œuvre')).toBe('oeuvre');
    expect(foldForSearch('Đorđe')).toBe('dorde');
    expect(foldForSearch('Þór')).toBe('thor');
  });

  it('unifies compatibility forms: ligatures, full-width letters, circled digits', () => {
    expect(foldForSearch('ﬁsh')).toBe('fish');
    expect(foldForSearch('ｆｏｏ')).toBe('foo');
    expect(foldForSearch('①②')).toBe('12');
    expect(foldForSearch('x²')).toBe('x2');
  });

  it('leaves letters of scripts without case or accents as they are (in NFC)', () => {
    expect(foldForSearch('山田')).toBe('山田');
    expect(foldForSearch('한국')).toBe('한국');
  });

  it('folds a query and a name to the same text whichever way each was typed', () => {
    expect(foldForSearch('JOSE')).toBe(foldForSearch('josé'));
    expect(foldForSearch('orsted')).toBe(foldForSearch('ØRSTED'));
  });
});

describe('searchTermsOf', () => {
  it('finds a user by the whole folded username and each part of it split at . _ and -', () => {
    expect(searchTermsOf('Anna.Maria_von-Trapp', null)).toEqual(['anna.maria_von-trapp', 'anna', 'maria', 'von', 'trapp']);
  });

  it('skips empty parts of repeated or trailing separators', () => {
    expect(searchTermsOf('x..y_', null)).toEqual(['x..y_', 'x', 'y']);
  });

  it('gives a plain username once', () => {
    expect(searchTermsOf('bob', null)).toEqual(['bob']);
  });

  it('adds the whole folded display name (spaces collapsed, trimmed) and each word of it', () => {
    expect(searchTermsOf('jm', '  José   Ángel  ')).toEqual(['jm', 'jose angel', 'jose', 'angel']);
  });

  it('splits display-name words at punctuation and symbols as well as whitespace', () => {
    const terms = searchTermsOf('x', "(Pepe) O'Brien-Smith! ★Star/Moon");
    for (const word of ['pepe', 'o', 'brien', 'smith', 'star', 'moon']) expect(terms).toContain(word);
    expect(terms).not.toContain('');
  });

  it('has no repeats when the display name is the username', () => {
    expect(searchTermsOf('bob', 'Bob')).toEqual(['bob']);
  });

  it('adds nothing for a blank display name', () => {
    expect(searchTermsOf('bob', '   ')).toEqual(['bob']);
  });
});

describe('prefixUpperBound', () => {
  const terms = ['ab', 'ab\u0000', 'abz', 'ab~', 'abé', 'ab山', 'ab\uFFFF', 'ab😀', 'ab\u{10FFFE}'];

  it('sorts, by code point, after every term that starts with the prefix', () => {
    for (const term of terms) {
      expect(byCodePoint(term, 'ab')).toBeGreaterThanOrEqual(0);
      expect(byCodePoint(term, prefixUpperBound('ab')), term).toBeLessThan(0);
    }
  });

  it('sorts before every term that does not start with the prefix but sorts after it', () => {
    for (const term of ['ac', 'b', 'ad', 'a\u{10FFFF}']) {
      const inRange = byCodePoint(term, 'ab') >= 0 && byCodePoint(term, prefixUpperBound('ab')) < 0;
      expect(inRange, term).toBe(false);
    }
  });
});
