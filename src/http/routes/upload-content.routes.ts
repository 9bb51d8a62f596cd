/**
 * An upload's bytes and thumbnail (docs/API.md, "Files and images"). Public routes that
 * authenticate themselves: a request with `Authorization: Bearer` is the token's user and must
 * be allowed to read the upload (404 otherwise, even with a valid signature); a request without
 * one needs a valid signed link (`expires` and `signature`, 403 when expired or wrong), which is
 * what an `<img>` sends.
 *
 * Served so that no file can act as a page of this origin: the type the server determined
 * (never the client's), `nosniff`, a sandboxing CSP, and `attachment` for everything but the
 * inline image types. ETag (the SHA-256) and single byte ranges for large files.
 */
import { create as contentDisposition } from 'content-disposition';
import type { FastifyReply, FastifyRequest } from 'fastify';
import parseRange from 'range-parser';
import { Type } from 'typebox';
import { INLINE_IMAGE_TYPES, Uuid } from '@pneumatic/protocol';
import { AppError } from '../../domain/errors.js';
import type { Download, Reader } from '../../domain/upload.service.js';
import type { UploadVariant } from '../../domain/uploads/storage-keys.js';
import { requireScope } from '../../domain/scope.policy.js';
import { requireAuth } from '../plugins/authentication.js';
import { UPLOAD_CONTENT_SCOPE } from '../route-scopes.js';
import { problem } from '../problem.js';
import { bearer, responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

const Params = Type.Object({ id: Uuid });
const Query = Type.Object({
  expires: Type.Optional(Type.String({ maxLength: 20 })),
  signature: Type.Optional(Type.String({ maxLength: 100 })),
});

/** Served files run no script and load nothing, even when opened directly. */
const FILE_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'";

export const uploadContentRoutes: RoutePlugin = async (app, { services, urlSigner }) => {
    const authenticate = requireAuth(services.accounts);

    const reader = async (request: FastifyRequest, reply: FastifyReply, id: string, link: { expires?: string; signature?: string }, variant: UploadVariant): Promise<Reader> => {
      if (request.headers.authorization !== undefined) {
        await authenticate(request, reply);
        requireScope(request.principal!.scopes, UPLOAD_CONTENT_SCOPE);
        return { kind: 'user', userId: request.principal!.user.id };
      }
      const { expires, signature } = link;
      if (expires === undefined || signature === undefined) {
        void reply.header('www-authenticate', 'Bearer');
        throw new AppError('unauthorized', 'Send Authorization: Bearer <token>, or use the signed link from the message.');
      }
      const check = urlSigner.check(id, variant, expires, signature);
      if (check === 'expired') throw new AppError('url_expired', 'This link has expired; a fresh copy of the message has a new one.');
      if (check === 'invalid') throw new AppError('invalid_signature', 'This link is not valid.');
      return { kind: 'signed' };
    };

    for (const variant of ['content', 'thumbnail'] as const) {
      app.get(
        `/uploads/:id/${variant}`,
        {
          schema: {
            tags: ['uploads'],
            summary: variant === 'content' ? "An upload's bytes (signed link, or a bearer token of a reader)" : "An image upload's WebP thumbnail",
            params: Params,
            querystring: Query,
            security: [...bearer, {}],
            response: responses({ 200: Type.Unknown({ description: 'the bytes' }), 206: Type.Unknown({ description: 'the requested range' }) }),
          },
        },
        async (request, reply) => {
          const who = await reader(request, reply, request.params.id, request.query, variant);
          const download = await services.uploads.download(who, request.params.id, variant);
          return serve(request, reply, download, variant, services.uploads.open(download.key));
        },
      );
    }
};

async function serve(request: FastifyRequest, reply: FastifyReply, download: Download, variant: UploadVariant, open: (range?: { start: number; end: number }) => Promise<NodeJS.ReadableStream | null>) {
  const etag = `"${download.upload.sha256}${variant === 'thumbnail' ? '-t' : ''}"`;
  const inline = variant === 'thumbnail' || (INLINE_IMAGE_TYPES as readonly string[]).includes(download.contentType);
  void reply.headers({
    'content-type': download.contentType,
    'content-disposition': contentDisposition(variant === 'thumbnail' ? `${download.upload.filename}.webp` : download.upload.filename, { type: inline ? 'inline' : 'attachment' }),
    'content-security-policy': FILE_CSP,
    'x-content-type-options': 'nosniff',
    // Signed links are meant for `<img>` on any origin that shows the chat.
    'cross-origin-resource-policy': 'cross-origin',
    'cache-control': 'private, max-age=3600',
    'accept-ranges': 'bytes',
    etag,
  });
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  const ranges = request.headers.range === undefined ? null : parseRange(download.size, request.headers.range, { combine: true });
  if (ranges === -1) {
    const body = problem('range_not_satisfiable', `The range is outside the file's ${download.size} bytes.`, { requestId: request.id });
    return reply.code(416).header('content-range', `bytes */${download.size}`).type('application/problem+json').send(body);
  }
  // One range is served as 206; several (or a malformed header, as RFC 9110 allows) get the whole file.
  const range = Array.isArray(ranges) && ranges.length === 1 && ranges.type === 'bytes' ? ranges[0]! : null;
  const body = await open(range ?? undefined);
  if (!body) throw new AppError('not_found', 'Upload not found.');
  if (range) {
    void reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${download.size}`).header('content-length', range.end - range.start + 1);
  } else {
    void reply.header('content-length', download.size);
  }
  return reply.send(body);
}
