/**
 * Runs the soak (test/soak/soak.ts) under vitest, only when SOAK=1: heap, RSS, open file
 * descriptors and event-loop delay must not grow beyond noise. Soaks run by hand, not in CI (the
 * test command's budget is 15 minutes): `SOAK=1 npx vitest run test/soak` (SOAK_MINUTES=N, default
 * 1), or `npm run soak -- --minutes 60`.
 */
import { describe, expect, it } from 'vitest';
import { runSoak } from './soak.js';

const enabled = process.env.SOAK === '1';
const MINUTES = Number(process.env.SOAK_MINUTES ?? 1);

describe.runIf(enabled)('soak', () => {
  it(`runs a mixed load for ${MINUTES} minutes with no growth beyond noise`, async () => {
    const report = await runSoak({ minutes: MINUTES, log: (line) => console.log(line) });
    expect(report.operations.sends).toBeGreaterThan(100);
    expect(report.operations.historyReads).toBeGreaterThan(0);
    expect(report.operations.typing).toBeGreaterThan(0);
    expect(report.operations.reconnects).toBeGreaterThan(0);
    expect(report.problems).toEqual([]);
  }, (MINUTES * 60 + 180) * 1000);
});
