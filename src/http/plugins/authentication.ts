import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccountService, Principal } from '../../domain/account.service.js';
import { AppError } from '../../domain/errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** The token of `Authorization: Bearer <token>` (RFC 6750 §2.1), or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  return match?.[1] ?? null;
}

/** An onRequest hook that admits only requests with a live token, and records who made them. */
export function requireAuth(accounts: AccountService) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const token = bearerToken(request.headers.authorization);
    const principal = token ? await accounts.authenticate(token, { user_agent: request.headers['user-agent'], ip: request.ip }) : null;
    if (!principal) {
      void reply.header('www-authenticate', 'Bearer');
      throw new AppError('unauthorized', token ? 'The token is invalid, expired or revoked.' : 'Send Authorization: Bearer <token>.');
    }
    request.principal = principal;
  };
}

/** The authenticated caller; routes behind requireAuth only. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('unauthorized', 'Send Authorization: Bearer <token>.');
  return request.principal;
}
