import { hash, verify, type Algorithm } from '@node-rs/argon2';

/** Algorithm.Argon2id: the package exports it as an ambient const enum, which isolated modules cannot read. */
const ARGON2ID = 2 as Algorithm;

/**
 * Argon2id parameters. `owasp` is the OWASP Password Storage Cheat Sheet's first choice
 * (m=19 MiB, t=2, p=1). `test` exists only so test suites and benchmarks can register
 * thousands of users quickly; it is never the default.
 */
export const ARGON2_PROFILES = {
  owasp: { memoryCost: 19_456, timeCost: 2, parallelism: 1 },
  test: { memoryCost: 64, timeCost: 1, parallelism: 1 },
} as const;

export type HashCost = keyof typeof ARGON2_PROFILES;

/** Hashes to PHC strings (`$argon2id$v=19$m=…`), so the cost can change without breaking old hashes. */
export class PasswordHasher {
  private readonly params: (typeof ARGON2_PROFILES)[HashCost];
  private dummyHash: Promise<string> | undefined;

  constructor(cost: HashCost) {
    this.params = ARGON2_PROFILES[cost];
  }

  hash(password: string): Promise<string> {
    return hash(password.normalize('NFC'), { algorithm: ARGON2ID, ...this.params });
  }

  async verify(password: string, stored: string): Promise<boolean> {
    try {
      return await verify(stored, password.normalize('NFC'));
    } catch {
      return false;
    }
  }

  /**
   * Spends the same work as a real verification, for unknown usernames, so a login's
   * timing does not tell whether the account exists.
   */
  async verifyAgainstNothing(password: string): Promise<false> {
    this.dummyHash ??= this.hash('pneumatic-timing-equalizer');
    await this.verify(password, await this.dummyHash);
    return false;
  }
}
