/**
 * Starts the suites that take longest first, so that with two workers the soak runs
 * next to the short suites instead of after them. Vitest orders by the durations it cached on an
 * earlier run, but CI runs on a fresh clone with no cache, where it falls back to file size: the
 * soak is a small file and would start last, adding its whole length to the run.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Path fragments of the longest suites, longest first (seconds measured on CI's two cores). */
const LONGEST = [
  'test/soak/', // by hand only (SOAK=1): a one-minute mixed load, ~70 s
  'test/reliability/crash-durability', // kills and restarts servers
  'test/security/authorization-matrix',
  'test/store/migrations',
  'test/main.test',
  'packages/web/test/', // Chromium
  'packages/sdk/test/readme', // npm pack and install
];

const rank = (spec: TestSpecification) => {
  const index = LONGEST.findIndex((fragment) => spec.moduleId.includes(fragment));
  return index === -1 ? LONGEST.length : index;
};

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    // Array.prototype.sort is stable: within a rank the base order (cached durations, or size) holds.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
