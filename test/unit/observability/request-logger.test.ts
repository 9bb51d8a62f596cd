import { Writable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { lazyRequestLogger } from '../../../src/observability/request-logger.js';

function logAt(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const parent = pino({ level }, stream) as unknown as FastifyBaseLogger;
  const requestLog = (bindings: Record<string, unknown>, options = {}) => lazyRequestLogger.call(null as never, parent, bindings, options, {} as never);
  return { lines, requestLog };
}

describe("a request's logger", () => {
  it('writes the lines the configured level allows, with the request id, and nothing below it', () => {
    const { lines, requestLog } = logAt('info');
    const log = requestLog({ reqId: 'r1' });
    log.debug({ code: 'x' }, 'below the level');
    log.trace('below the level');
    log.info({ code: 'y' }, 'at the level');
    log.error({ err: new Error('boom') }, 'above the level');
    expect(lines.map((line) => [line.msg, line.reqId])).toEqual([
      ['at the level', 'r1'],
      ['above the level', 'r1'],
    ]);
    expect(lines[0]!.code).toBe('y');
  });

  it('writes debug lines when the level is debug, and its children keep the request id', () => {
    const { lines, requestLog } = logAt('debug');
    const log = requestLog({ reqId: 'r2' });
    log.debug({ code: 'z' }, 'refused');
    log.child({ component: 'ws' }).debug('from a child');
    expect(lines.map((line) => [line.msg, line.reqId, line.component])).toEqual([
      ['refused', 'r2', undefined],
      ['from a child', 'r2', 'ws'],
    ]);
    expect(log.level).toBe('debug');
  });

  it('honours a level of its own (a route log level)', () => {
    const { lines, requestLog } = logAt('info');
    const log = requestLog({ reqId: 'r3' }, { level: 'debug' });
    log.debug('route at debug');
    expect(lines.map((line) => line.msg)).toEqual(['route at debug']);
  });
});
