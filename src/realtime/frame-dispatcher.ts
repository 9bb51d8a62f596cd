import type { RawData } from 'ws';
import { AppError } from '../domain/errors.js';
import { type ClientFrame, clientFrameSchemas, type ClientFrameType, type ErrorCode, type Limits } from '@pneumatic/protocol';
import { isDatabaseUnavailable } from '../store/sql-errors.js';
import { compileValidator, type ValidationResult } from '../validation/schema-validator.js';
import type { Connection } from './connection.js';
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
};

type Validators = { [T in ClientFrameType]: (value: unknown) => ValidationResult<ClientFrame<T>> };

/**
 * Parses, validates and routes each client frame. Every refusal is an error frame and the
 * connection stays open: one bad frame must not cost the user their other events.
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
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawToString(data));
    } catch {
      return sendError(connection, 'invalid_json', 'The frame is not valid JSON.', null);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return sendError(connection, 'invalid_request', 'A frame is one JSON object with a "type".', null);
    }
    const frame = parsed as Record<string, unknown>;
    const ref = typeof frame.message_id === 'string' ? frame.message_id : null;
    if (!connection.admitFrame()) {
      return sendError(connection, 'rate_limited', 'Too many frames; slow down.', ref);
    }
    if (typeof frame.type !== 'string') return sendError(connection, 'invalid_request', 'frame.type: required string', ref);
    if (!Object.hasOwn(HANDLERS, frame.type)) {
      return sendError(connection, 'unknown_type', `Unknown frame type "${frame.type.slice(0, 40)}".`, ref);
    }
    const type = frame.type as ClientFrameType;
    const result = this.validators[type](frame);
    if (!result.ok) return sendError(connection, 'invalid_request', result.detail, ref);
    try {
      const handle = () => (HANDLERS[type] as FrameHandler<ClientFrameType>)(this.ctx, connection, result.value);
      await (type === 'message' ? connection.inOrder(handle) : handle());
    } catch (error) {
      if (error instanceof AppError) return sendError(connection, error.code, error.detail, ref);
      if (isDatabaseUnavailable(error)) {
        connection.log.error({ err: error }, 'frame failed: database unavailable');
        return sendError(connection, 'unavailable', 'The database is unavailable; retry shortly.', ref);
      }
      connection.log.error({ err: error }, 'frame failed');
      return sendError(connection, 'internal_error', 'Something went wrong on our side.', ref);
    }
  }
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function sendError(connection: Connection, code: ErrorCode, detail: string, ref: string | null): void {
  connection.send({ type: 'error', code, detail, ref });
}
