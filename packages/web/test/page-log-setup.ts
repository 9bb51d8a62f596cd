/**
 * Setup file of the integration project: a test that failed while browser pages were open gets
 * a second error carrying what those pages logged (page-log.ts), so a CI report shows it.
 */
import { afterEach } from 'vitest';
import { recentPageLog } from './page-log.js';

afterEach(({ task }) => {
  if (task.result?.state !== 'fail') return;
  const log = recentPageLog();
  if (log.length === 0) return;
  throw new Error(`What the browser pages logged during this failed test:\n${log.join('\n')}`);
});
