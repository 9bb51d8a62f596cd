import type { FastifyBaseLogger, FastifyInstance, FastifyPluginAsync, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RequestSchemas, ServerLimits } from '@pneumatic/protocol';
import type { EventBus } from '../bus/event-bus.js';
import type { Config } from '../config/config.js';
import type { Store } from '../domain/ports/repositories.js';
import type { ServerMetrics } from '../observability/metrics.js';
import type { Services } from '../services.js';
import type { UrlSigner } from '../files/signed-urls.js';

export type TypedApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** What every route module receives as its plugin options. */
export type RouteContext = {
  config: Config;
  services: Services;
  /** Request schemas built from the configured limits, so validation and docs agree. */
  schemas: RequestSchemas;
  /** The limits this server enforces, as GET /limits publishes them. */
  limits: ServerLimits;
  metrics: ServerMetrics;
  /** For readiness only: /readyz asks whether the database and the bus answer. */
  store: Store;
  bus: EventBus;
  /** Checks the signed links of upload downloads (files/signed-urls.ts). */
  urlSigner: UrlSigner;
};

/**
 * The one signature of a route module: a Fastify plugin taking the RouteContext, registered
 * with `app.register(plugin, ctx)`. Whether its routes need a token is decided by the context
 * it is registered in (see src/http/register-routes.ts), not by each route.
 */
export type RoutePlugin = FastifyPluginAsync<RouteContext, RawServerDefault, TypeBoxTypeProvider>;
