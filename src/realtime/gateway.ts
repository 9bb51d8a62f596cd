/**
 * The WebSocket endpoint: `/ws` and the seed path `/ws/{user_id}`. The upgrade is refused with
 * an HTTP status before any socket exists: 403 for a foreign Origin, 401 without a live token
 * (header, or `?token=` for browsers), then 400 for a path id that is not a UUID and 403 for
 * another user's id, in the order every route checks (docs/behaviour.md).
 */
import websocket from '@fastify/websocket';
import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type WebSocket from 'ws';
import type { RawData } from 'ws';
import type { EventBus } from '../bus/event-bus.js';
import type { Config } from '../config/config.js';
import { AppError } from '../domain/errors.js';
import { requireScope } from '../domain/scope.policy.js';
import { CloseCode, type Limits, Uuid } from '@pneumatic/protocol';
import { createHostPolicy } from '../http/host-policy.js';
import { bearerToken } from '../http/plugins/authentication.js';
import type { TypedApp } from '../http/route-context.js';
import type { ServerMetrics } from '../observability/metrics.js';
import type { PresenceTracker } from '../presence/presence-tracker.js';
import type { Services } from '../services.js';
import { compileValidator } from '../validation/schema-validator.js';
import { PendingAdmissions } from './admissions.js';
import { Connection, ConnectionSocket, connectionOf } from './connection.js';
import type { ConnectionRegistry } from './connection-registry.js';
import { FrameDispatcher } from './frame-dispatcher.js';
import type { EventSequencer } from './event-sequencer.js';
import { isOriginAllowed } from './origin-policy.js';

export interface GatewayDeps {
  bus: EventBus;
  /** Primed with the user's positions, so even the first live frame of a conversation is in order. */
  sequencer: EventSequencer;
  config: Config;
  limits: Limits;
  services: Services;
  registry: ConnectionRegistry;
  metrics: ServerMetrics;
  /** Signs the upload links in a frame's text as it leaves (files/signed-urls.ts). */
  signUrls: (text: string) => string;
  /** Told of every socket that opens or closes, and of their `activity` frames. */
  presence: PresenceTracker;
}

/** What an upgrade holds between its admission and its socket's opening. */
interface UpgradeHolds {
  /** The HTTP response @fastify/websocket assigned to the TCP socket, detached once the socket opens. */
  response: ServerResponse | null;
  /** Releases of the places held under the per-IP and per-user caps. */
  releases: Array<() => void>;
  /** Ends the bus watch the upgrade took; a listener on the TCP socket's close until the socket opens. */
  unwatch: (() => void) | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * On the request rather than in a WeakMap keyed by the raw request: a WeakMap value that
     * reaches its key (the response's `req`, a release's closure) keeps the key alive through
     * every young-generation collection, so each upgrade's request, response, Fastify request,
     * reply and logger were promoted to the old generation and stayed there, garbage, until a
     * full collection (a sampling heap profile: about 3 KiB per upgrade, most of the resident
     * memory Pneumatic spent per idle connection beyond the raw ws server's).
     */
    wsUpgrade: UpgradeHolds | null;
  }
}

/** Unclean disconnects are routine on mobile networks: not errors worth a stack trace. */
function terminateOnError(this: WebSocket): void {
  this.terminate();
}

/** A pong answers the heartbeat's ping: the connection is alive. */
function onPong(this: WebSocket): void {
  connectionOf(this).alive = true;
}

function onPing(this: WebSocket, data: Buffer): void {
  connectionOf(this).answerPing(data);
}

/** The seed path's id, checked by the validator HTTP path params go through (lower-cased once it passes). */
const validateSeedPath = compileValidator<{ user_id: string }>(Type.Object({ user_id: Uuid }), 'params');

export async function registerGateway(app: TypedApp, deps: GatewayDeps): Promise<void> {
  const { config, services, registry } = deps;
  const dispatcher = new FrameDispatcher({ services, metrics: deps.metrics, presence: deps.presence }, deps.limits);

  await app.register(websocket, {
    // Pings are answered by Connection.answerPing, which bounds a flood with a close frame.
    // Sockets are tracked by the ConnectionRegistry, not a second time in ws's own client set
    // (a set entry and a close listener per socket). Sockets are ConnectionSockets (a subclass
    // of ws's WebSocket, which @types/ws cannot express without the module's statics).
    options: {
      maxPayload: config.WS_MAX_FRAME_BYTES,
      perMessageDeflate: false,
      autoPong: false,
      clientTracking: false,
      WebSocket: ConnectionSocket as never,
    },
    // Unclean disconnects are routine on mobile networks: not errors worth a stack trace.
    errorHandler: (error, socket, request) => {
      request.log.debug({ err: error }, 'websocket error');
      socket.terminate();
    },
    preClose: (done) => {
      // Clients reconnect elsewhere: their users are not announced offline in between.
      deps.presence.stopPublishing();
      for (const connection of registry.all()) connection.close(CloseCode.GOING_AWAY, 'server shutting down');
      done();
    },
  });

  app.decorateRequest('wsUpgrade', null);
  const hosts = createHostPolicy(config);
  const capped = config.RATE_LIMITS;
  let pendingUpgrades = 0;
  // Places held by upgrades between their cap checks and the socket's registration, released
  // when the socket registers, the upgrade is refused or the TCP socket closes first.
  const pendingByIp = new PendingAdmissions();
  const pendingByUser = new PendingAdmissions();
  const holdsOf = (request: FastifyRequest): UpgradeHolds => (request.wsUpgrade ??= { response: null, releases: [], unwatch: null });
  const releaseHeld = (request: FastifyRequest) => {
    for (const release of request.wsUpgrade?.releases.splice(0) ?? []) release();
  };
  const holdPlace = (request: FastifyRequest, admissions: PendingAdmissions, key: string) => {
    const release = admissions.hold(key);
    const socket = request.raw.socket;
    if (socket.destroyed) return release();
    socket.once('close', release);
    holdsOf(request).releases.push(() => {
      socket.off('close', release);
      release();
    });
  };

  const admit = async (request: FastifyRequest<{ Params: { user_id?: string }; Querystring: { token?: string } }>, reply: FastifyReply) => {
    if (!isOriginAllowed(request.headers.origin, hosts.ownOrigins(request.headers.host, request.protocol), config.CORS_ORIGINS)) {
      throw new AppError('origin_not_allowed', 'This Origin may not open a socket here.');
    }
    if (capped && registry.countForIp(request.ip) + pendingByIp.count(request.ip) >= config.WS_MAX_CONNECTIONS_PER_IP) {
      throw new AppError('rate_limited', 'Too many open sockets from this address.', { retryAfterSeconds: 10 });
    }
    if (capped && pendingUpgrades >= config.WS_MAX_PENDING_UPGRADES) {
      throw new AppError('unavailable', 'Too many connections being opened; retry shortly.');
    }
    pendingUpgrades++;
    if (capped) holdPlace(request, pendingByIp, request.ip);
    try {
      await authorizeUpgrade(request, reply);
    } catch (error) {
      releaseHeld(request);
      throw error;
    } finally {
      pendingUpgrades--;
    }
  };

  const authorizeUpgrade = async (request: FastifyRequest<{ Params: { user_id?: string }; Querystring: { token?: string } }>, reply: FastifyReply) => {
    const token = bearerToken(request.headers.authorization) ?? (typeof request.query.token === 'string' ? request.query.token : null);
    const principal = token ? await services.accounts.authenticate(token, { user_agent: request.headers['user-agent'], ip: request.ip }) : null;
    if (!principal) {
      void reply.header('www-authenticate', 'Bearer');
      throw new AppError('unauthorized', 'A live token is required (Authorization: Bearer, or ?token=).');
    }
    // A socket receives the user's events: reading them is what it is for.
    requireScope(principal.scopes, 'messages:read');
    if (request.params.user_id !== undefined) {
      const seed = validateSeedPath({ user_id: request.params.user_id });
      if (!seed.ok) throw seed.failure;
      if (seed.value.user_id !== principal.user.id) throw new AppError('forbidden', 'The path names another user than the token.');
    }
    if (capped && (registry.forUser(principal.user.id)?.size ?? 0) + pendingByUser.count(principal.user.id) >= config.WS_MAX_CONNECTIONS_PER_USER) {
      throw new AppError('rate_limited', 'Too many open sockets for this user; close some first.', { retryAfterSeconds: 10 });
    }
    if (capped) holdPlace(request, pendingByUser, principal.user.id);
    request.principal = principal;
    holdsOf(request).response = reply.raw;
    // Subscribe to the user's events before the socket opens, so a client that catches up right
    // after connecting cannot miss an event in between. The hold lasts as long as the TCP socket.
    const userId = principal.user.id;
    await deps.bus.watchUser(userId);
    if (!registry.forUser(userId)) {
      for (const position of await services.conversations.positions(userId)) {
        deps.sequencer.setBaseline(userId, position.conversation_id, position.last_event_seq);
      }
    }
    const socket = request.raw.socket;
    if (socket.destroyed) return deps.bus.unwatchUser(userId);
    const unwatch = () => deps.bus.unwatchUser(userId);
    socket.once('close', unwatch);
    holdsOf(request).unwatch = unwatch;
  };

  // Every socket's limits are the same: one object for all.
  const limits = {
    sendQueueBytes: config.WS_SEND_QUEUE_BYTES,
    framesPerSecond: config.RATE_LIMITS ? config.RATE_LIMIT_FRAMES_PER_SECOND : null,
    signUrls: deps.signUrls,
  };
  // One function per event for every socket (`this` is the socket), not a closure per socket
  // and event: memory per idle connection is a benchmark target.
  function onMessage(this: WebSocket, data: RawData): void {
    const connection = connectionOf(this);
    connection.alive = true;
    // Between expiry and the sweep that closes the socket, no frame is acted on.
    if (connection.sessionExpired()) return connection.close(CloseCode.SESSION_REVOKED, 'session expired');
    void dispatcher.dispatch(connection, data);
  }
  // ws emits close after the TCP socket's close, which held the bus watch until the socket opened.
  function onClose(this: WebSocket): void {
    const connection = connectionOf(this);
    registry.remove(connection);
    deps.bus.unwatchUser(connection.userId);
    deps.presence.disconnected(connection);
  }

  const onSocket = (socket: ConnectionSocket, request: FastifyRequest) => {
    forgetUpgradeRequest(socket, request);
    const principal = request.principal;
    const unwatch = request.wsUpgrade?.unwatch;
    // Neither happens to a socket ws hands over (it drops one whose TCP socket is gone): a guard.
    if (!principal || !unwatch) {
      socket.close(CloseCode.SESSION_REVOKED, 'unauthenticated');
      return;
    }
    const connection = new Connection(
      socket,
      principal.user.id,
      principal.session_id,
      request.ip,
      limits,
      // The app's logger, not the request's child: a socket lives for hours, a child logger per socket is memory.
      app.log,
      Date.parse(principal.expires_at),
      deps.metrics.sendQueues,
      // The TCP socket the upgrade arrived on, which ws writes to.
      request.raw.socket,
      principal.scopes,
    );
    socket.connection = connection;
    registry.add(connection);
    deps.presence.connected(connection);
    releaseHeld(request);
    // From here the connection's close ends the watch (onClose): one listener fewer on the TCP
    // socket, whose listener list then holds ws's alone.
    request.raw.socket.off('close', unwatch);
    socket.on('pong', onPong);
    socket.on('ping', onPing);
    socket.on('message', onMessage);
    socket.on('close', onClose);
  };

  // An idle socket should cost what the ws library needs and little more (memory per idle
  // connection is a benchmark target): the upgrade's HTTP request, response, Fastify request,
  // reply and request logger would otherwise live as long as the socket, through the plugin's
  // error listener (a closure over them) and the response still assigned to the TCP socket.
  const forgetUpgradeRequest = (socket: WebSocket, request: FastifyRequest) => {
    socket.removeAllListeners('error');
    socket.on('error', terminateOnError);
    const response = request.wsUpgrade?.response;
    if (response?.socket) response.detachSocket(response.socket);
  };

  // A plain GET (no Upgrade header) gets a problem+json like any other refused request.
  const notAnUpgrade = async () => {
    throw new AppError('invalid_request', 'This endpoint needs a WebSocket upgrade (Connection: Upgrade, Upgrade: websocket).');
  };
  for (const url of ['/ws', '/ws/:user_id']) {
    app.route({ method: 'GET', url, schema: { hide: true }, preValidation: admit, handler: notAnUpgrade, wsHandler: onSocket as never });
  }
}
