/**
 * Each request's logger, made only when the request logs something. Fastify gives every request
 * a pino child bound to its id; building one (bindings serialized to a JSON fragment, a new
 * prototype-linked object) was a fixed cost of every request, though per-request lines are off
 * (server-options.ts) and most requests log nothing at the configured level. A line that is
 * logged goes through the real child, so it carries the same bindings as before.
 */
import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type Bindings = Parameters<FastifyBaseLogger['child']>[0];
type ChildOptions = Parameters<FastifyBaseLogger['child']>[1];
type ChildLoggerFactory = NonNullable<FastifyServerOptions['childLoggerFactory']>;
type LogArgs = Parameters<FastifyBaseLogger['info']>;

/** A pino logger says whether a level is on; any other logger is asked by logging. */
function levelEnabled(logger: FastifyBaseLogger, level: Level): boolean {
  const check = (logger as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled;
  return typeof check === 'function' ? check.call(logger, level) : true;
}

class RequestLogger {
  private made: FastifyBaseLogger | null = null;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly childBindings: Bindings,
    private readonly options: ChildOptions,
  ) {}

  private real(): FastifyBaseLogger {
    return (this.made ??= this.parent.child(this.childBindings, this.options));
  }

  /** Once made, the child decides (its level may have been changed); until then, the parent's level. */
  private write(level: Level, args: LogArgs): void {
    if (this.made === null && !levelEnabled(this.parent, level)) return;
    const real = this.real();
    // Called as a method of the child: pino's log functions read their bindings from `this`.
    (real[level] as (...args: LogArgs) => void).call(real, ...args);
  }

  get level(): string {
    return this.made?.level ?? this.parent.level;
  }

  set level(level: string) {
    this.real().level = level;
  }

  fatal(...args: LogArgs): void {
    this.write('fatal', args);
  }

  error(...args: LogArgs): void {
    this.write('error', args);
  }

  warn(...args: LogArgs): void {
    this.write('warn', args);
  }

  info(...args: LogArgs): void {
    this.write('info', args);
  }

  debug(...args: LogArgs): void {
    this.write('debug', args);
  }

  trace(...args: LogArgs): void {
    this.write('trace', args);
  }

  silent(): void {}

  isLevelEnabled(level: string): boolean {
    return (this.real() as unknown as { isLevelEnabled(level: string): boolean }).isLevelEnabled(level);
  }

  bindings(): Record<string, unknown> {
    return (this.real() as unknown as { bindings(): Record<string, unknown> }).bindings();
  }

  child(bindings: Bindings, options?: ChildOptions): FastifyBaseLogger {
    return this.real().child(bindings, options);
  }
}

/**
 * Fastify's childLoggerFactory. A route with its own log level gets its child at once: the
 * parent's level would not say what that child logs.
 */
export const lazyRequestLogger: ChildLoggerFactory = function (logger, bindings, options) {
  if (options.level !== undefined) return logger.child(bindings, options);
  return new RequestLogger(logger, bindings, options) as unknown as FastifyBaseLogger;
};
