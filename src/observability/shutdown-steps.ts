/**
 * Runs one step of the server's shutdown and says so when it is slow: every 10 s that the step is
 * still pending, a warning names it (in the log, and as a process warning, which reaches stderr
 * even when the log is silent, as in tests). A drain that hangs then says where.
 */
import type { FastifyBaseLogger } from 'fastify';

const REPORT_EVERY_MS = 10_000;

export async function shutdownStep(name: string, log: FastifyBaseLogger, step: () => Promise<unknown> | unknown): Promise<void> {
  const started = Date.now();
  const report = setInterval(() => {
    const waited = Math.round((Date.now() - started) / 1000);
    log.warn({ step: name, waited_s: waited }, 'shutdown step still pending');
    process.emitWarning(`shutdown step "${name}" still pending after ${waited} s`, 'SlowShutdownWarning');
  }, REPORT_EVERY_MS);
  report.unref();
  try {
    await step();
  } finally {
    clearInterval(report);
  }
}
