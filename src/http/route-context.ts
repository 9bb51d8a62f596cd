import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from '../config/config.js';
import type { RequestSchemas } from '@pneumatic/protocol';
import type { Services } from '../services.js';
import type { requireAuth } from './plugins/authentication.js';

export type TypedApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** What every route module receives: the domain services and the schemas built from config. */
export interface RouteContext {
  config: Config;
  services: Services;
  schemas: RequestSchemas;
  auth: ReturnType<typeof requireAuth>;
}
