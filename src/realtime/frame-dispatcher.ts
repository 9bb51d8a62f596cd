import secureJsonParse from 'secure-json-parse';
import type { RawData } from 'ws';
import { AppError } from '../domain/errors.js';
import { requireScope } from '../domain/scope.policy.js';
import { FRAME_SCOPES } from './frame-scopes.js';
import { classifyError } from '../errors/classify-error.js';
import { type ClientFrame, clientFrameSchemas, type ClientFrameType, type Limits } from '@pneumatic/protocol';
import { compileValidator, ValidationFailure, type ValidationResult } from '../validation/schema-validator.js';
import type { Connection } from './connection.js';
import { handleActivity } from './handlers/activity.handler.js';
import type { FrameHandler, HandlerContext } from './handlers/handler.js';
import { handleJoin } from './handlers/join.handler.js';
import { handleMessage } from './handlers/message.handler.js';
import { handlePing } from './handlers/ping.handler.js';
import { handleRead } from './handlers/read.handler.js';
import { handleTyping } from './handlers/typing.handler.js';

const HANDLERS: { [T in ClientFrameType]: FrameHandler<T> } = {
  message: handleMessage,
  join: handleJoin,
  typing: handleTyping,
  read: handleRead,
  ping: handlePing,
  activity: handleActivity,
};

type Validators = { [T in ClientFrameType]: (value: unknown) => ValidationResult<ClientFrame<T>> };

/**
 * Parses, validates and routes each client frame. Every refusal is an error frame, classified
 * like an HTTP error (src/errors/classify-error.ts), and the connection stays open: one bad
 * frame must not cost the user their other events.
 */
export class FrameDispatcher {
  private readonly validators: Validators;

  constructor(
    private readonly ctx: HandlerContext,
    limits: Limits,
  ) {
    const schemas = clientFrameSchemas(limits);
    this.validators = Object.fromEntries(
      Object.entries(schemas).map(([type, schema]) => [type, compileValidator(schema, 'frame')]),
    ) as unknown as Validators;
  }

  async dispatch(connection: Connection, data: RawData): Promise<void> {
    let ref: string | null = null;
    try {
      const frame = parseFrame(data);
      ref = typeof frame.message_id === 'string' ? frame.message_id : null;
      if (!connection.admitFrame()) throw new AppError('rate_limited', 'Too many frames; slow down.');
      const type = frameType(frame);
      requireScope(connection.scopes, FRAME_SCOPES[type]);
      const result = this.validators[type](frame);
      if (!result.ok) throw result.failure;
      const handle = () => (HANDLERS[type] as FrameHandler<ClientFrameType>)(this.ctx, connection, result.value);
      await (type === 'message' ? connection.inOrder(handle) : handle());
    } catch (error) {
      const { code, detail, errors, retryAfterSeconds, serverFault } = classifyError(error);
      if (serverFault) connection.log.error({ err: error }, 'frame failed');
      // retry_after: what HTTP says in Retry-After, in seconds (unavailable, rate_limited).
      connection.send({
        type: 'error',
        code,
        detail,
        ref,
        ...(errors ? { errors } : {}),
        ...(retryAfterSeconds !== undefined ? { retry_after: retryAfterSeconds } : {}),
      });
    }
  }
}

/** One JSON object, or an error the classifier maps to invalid_json / invalid_request. */
function parseFrame(data: RawData): Record<string, unknown> {
  const parsed = parseJson(rawToString(data));
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ValidationFailure([{ instancePath: '', keyword: 'type', message: 'must be one JSON object with a "type"' }], 'frame');
  }
  return parsed as Record<string, unknown>;
}

/**
 * Parses a frame as Fastify parses a request body: with secure-json-parse, which refuses a
 * `__proto__` or `constructor.prototype` key at any depth (and ignores a leading byte order
 * mark, RFC 8259 §8.1). So a frame is refused with invalid_json exactly when the same text as
 * an HTTP body would be, whatever a handler later does with the object.
 */
function parseJson(text: string): unknown {
  try {
    return secureJsonParse.parse(text, null, { protoAction: 'error', constructorAction: 'error' });
  } catch {
    // Both refusals are SyntaxErrors; only text that is JSON can carry a forbidden key.
    if (isJson(text)) throw new AppError('invalid_json', 'The frame is not acceptable JSON: it has a __proto__ or constructor.prototype key.');
    throw new AppError('invalid_json', 'The frame is not valid JSON.');
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text.replace(/^\uFEFF/, ''));
    return true;
  } catch {
    return false;
  }
}

function frameType(frame: Record<string, unknown>): ClientFrameType {
  if (typeof frame.type !== 'string') {
    throw new ValidationFailure([{ instancePath: '/type', keyword: 'type', message: 'is required, a string' }], 'frame');
  }
  if (!Object.hasOwn(HANDLERS, frame.type)) throw new AppError('unknown_type', `Unknown frame type "${frame.type.slice(0, 40)}".`);
  return frame.type as ClientFrameType;
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
