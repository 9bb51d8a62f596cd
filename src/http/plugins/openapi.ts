import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/** `policy` without the directive `name` (CSP Level 3 §2.2: directives are `;`-separated, name first). */
function withoutDirective(policy: string, name: string): string {
  return policy
    .split(';')
    .map((directive) => directive.trim())
    .filter((directive) => directive !== '' && directive.split(/\s+/)[0]!.toLowerCase() !== name)
    .join('; ');
}

/**
 * The UI's policy as @fastify/swagger-ui writes it (hashes of its inline code included), less
 * `upgrade-insecure-requests`: over plain HTTP on any name a browser does not already treat as
 * secure (anything but localhost), that directive sends the page's own scripts and styles to
 * https, where nothing answers, and /docs is blank. Over TLS it changes nothing here (the page
 * loads only relative URLs), so it is never sent, as in the API's and the web app's policies.
 * The plugin passes the same string on every response, so the answer is computed once.
 */
function docsPolicy(): (policy: string) => string {
  let cached: { from: string; to: string } | null = null;
  return (policy) => {
    if (cached?.from !== policy) cached = { from: policy, to: withoutDirective(policy, 'upgrade-insecure-requests') };
    return cached.to;
  };
}

interface OpenApiDocument {
  paths?: Record<string, Record<string, { requestBody?: unknown }>>;
}

/**
 * POST /uploads reads its multipart body as a stream (uploads.routes.ts), so it has no body
 * schema for Fastify to validate against; the document describes the form here instead.
 */
function withUploadBody(document: OpenApiDocument): OpenApiDocument {
  const upload = document.paths?.['/uploads']?.post;
  if (upload) {
    upload.requestBody = {
      required: true,
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            required: ['file'],
            properties: { file: { type: 'string', format: 'binary', description: 'The file; its type is determined from its bytes. At most upload_max_bytes (GET /limits).' } },
          },
        },
      },
    };
  }
  return document;
}

/** The OpenAPI document at /openapi.json, built from the same schemas that validate requests. */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Pneumatic',
        version,
        description:
          'Real-time chat server. Errors are RFC 9457 problem+json with a stable `code`. ' +
          'Any write may answer 503 `unavailable` with Retry-After while the database cannot store anything (retry it). ' +
          'Live events: WebSocket at /ws (see the project README and API.md).',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
      tags: [
        { name: 'users' },
        { name: 'sessions' },
        { name: 'conversations' },
        { name: 'messages' },
        { name: 'operations' },
        { name: 'uploads' },
        { name: 'push' },
      ],
    },
    transformObject: (documentObject) => withUploadBody(('openapiObject' in documentObject ? documentObject.openapiObject : documentObject.swaggerObject) as OpenApiDocument) as never,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, transformStaticCSP: docsPolicy() });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
