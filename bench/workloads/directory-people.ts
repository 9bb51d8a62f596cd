/**
 * The directory workload's people: a deterministic stream (seeded PRNG) of unique usernames and
 * display names drawn from directory-names.ts in the shapes people pick (`jose.garcia`,
 * `jgarcia`, `jose84`, `Garcia-Jose`…), so prefixes are shared the way a real server's are:
 * thousands of users start with "ma", a few dozen with "kowa". The same seed gives the same
 * people on every run.
 */
import { foldForSearch } from '../../src/domain/profiles/search-terms.js';
import { seededRandom } from '../lib/setup.js';
import { FAMILY_NAMES, GIVEN_NAMES, MIDDLE_NAMES } from './directory-names.js';

export interface Person {
  username: string;
  displayName: string | null;
}

/** Usernames are at most 32 characters (packages/protocol/src/limits.ts); a numeric suffix may follow the base. */
const BASE_MAX_CHARS = 26;

/**
 * A name as a username may hold it (A–Z, a–z, 0–9 and `. _ -`, USERNAME_PATTERN): folded as the
 * directory folds it (so Łukasz is `lukasz`), then anything else left out (O'Brien is `obrien`).
 */
function asciiName(name: string): string {
  return foldForSearch(name).replace(/[^a-z0-9-]/g, '');
}

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

export class PeopleGenerator {
  private readonly random: () => number;
  private readonly taken = new Set<string>();

  constructor(seed = 21) {
    this.random = seededRandom(seed);
  }

  next(): Person {
    const given = this.skewed(GIVEN_NAMES);
    const family = this.skewed(FAMILY_NAMES);
    return { username: this.unique(this.usernameOf(asciiName(given), asciiName(family))), displayName: this.displayNameOf(given, family) };
  }

  /** Early entries are likelier (the list's first tenth gets over a quarter of the draws). */
  private skewed(list: readonly string[]): string {
    return list[Math.floor(this.random() ** 1.8 * list.length)]!;
  }

  private digits(max: number): string {
    return String(1 + Math.floor(this.random() * max));
  }

  private usernameOf(given: string, family: string): string {
    const roll = this.random();
    if (roll < 0.3) return `${given}.${family}`;
    if (roll < 0.4) return `${given}_${family}`;
    if (roll < 0.5) return `${given}${family}`;
    if (roll < 0.62) return `${given.charAt(0)}${family}`;
    if (roll < 0.72) return `${given}${this.digits(99)}`;
    if (roll < 0.77) return `${capitalised(family)}-${capitalised(given)}`;
    if (roll < 0.87) return `${given}.${family}${this.digits(99)}`;
    if (roll < 0.92) return `${capitalised(given)}.${capitalised(family)}`;
    return `${given}${family.charAt(0)}`;
  }

  /** The name, or the name and a number, whichever is free ignoring case (username_key is unique). */
  private unique(wanted: string): string {
    const base = wanted.slice(0, BASE_MAX_CHARS).padEnd(3, '0');
    let name = base;
    for (let n = 2; this.taken.has(name.toLowerCase()); n++) name = `${base}${n}`;
    this.taken.add(name.toLowerCase());
    return name;
  }

  /** Mostly "Given Family"; some with a middle name or two family names, some lower-cased, some unset. */
  private displayNameOf(given: string, family: string): string | null {
    const roll = this.random();
    if (roll < 0.07) return null;
    if (roll < 0.15) return `${given} ${this.skewed(MIDDLE_NAMES)} ${family}`;
    if (roll < 0.19) return `${given} ${family} ${this.skewed(FAMILY_NAMES)}`;
    if (roll < 0.21) return `${given} ${family}`.toLowerCase();
    return `${given} ${family}`;
  }
}
