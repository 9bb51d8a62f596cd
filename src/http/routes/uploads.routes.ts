/**
 * Uploading and describing files (docs/API.md, "Files and images"). POST /uploads takes one
 * multipart/form-data part named `file`, streamed to storage (never buffered whole); its
 * filename is display text. The bytes are served by upload-content.routes.ts.
 */
import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { UPLOAD_FILE_FIELD, Upload, Uuid } from '@pneumatic/protocol';
import { AppError } from '../../domain/errors.js';
import { principalOf } from '../plugins/authentication.js';
import { responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

const UploadParams = Type.Object({ id: Uuid });

export const uploadsRoutes: RoutePlugin = async (app, { services }) => {
  const tags = ['uploads'];
  // The size limit is the upload service's (the ByteMeter's), so the multipart parser's own is
  // set past any setting; the others keep a form from carrying more than the one file.
  // preservePath: the filename as sent, directories and all, is display text (never a path here).
  await app.register(multipart, { preservePath: true, limits: { fileSize: Number.MAX_SAFE_INTEGER, files: 1, fields: 10, fieldSize: 1024, parts: 11, headerPairs: 100 } });

  app.post(
    '/uploads',
    {
      schema: {
        tags,
        summary: 'Upload a file (multipart/form-data, one part named "file"); it is attachable to your messages once this answers',
        consumes: ['multipart/form-data'],
        response: responses({ 201: Upload }),
      },
    },
    async (request, reply) => {
      const callerId = principalOf(request).user.id;
      // A refusal before the body is all read is left to Node: it reads and drops a short
      // remainder (the client, still writing, then gets the answer) and closes the connection
      // after a long one (test/uploads/upload-streaming.test.ts).
      const part = await filePart(request);
      const upload = await services.uploads.receive(callerId, { filename: part.filename, stream: part.file });
      return reply.code(201).send(upload);
    },
  );

  app.get(
    '/uploads/:id',
    {
      schema: {
        tags,
        summary: 'An upload: yours before you attach it, or one attached in a conversation you are a member of (404 otherwise)',
        params: UploadParams,
        response: responses({ 200: Upload }),
      },
    },
    async (request) => services.uploads.get(principalOf(request).user.id, request.params.id),
  );
};

/** The form's `file` part; 415 for a body that is not multipart, 400 for a form without it. */
async function filePart(request: FastifyRequest) {
  let part;
  try {
    part = await request.file();
  } catch (error) {
    throw multipartRefusal(error);
  }
  if (!part || part.fieldname !== UPLOAD_FILE_FIELD) {
    // The rest of the body is not read: the connection closes after the answer.
    part?.file.resume();
    const detail = `is required: send the file as the multipart/form-data part named "${UPLOAD_FILE_FIELD}"`;
    throw new AppError('invalid_request', `${UPLOAD_FILE_FIELD} ${detail}.`, { errors: [{ pointer: `/${UPLOAD_FILE_FIELD}`, detail }] });
  }
  return part;
}

/** @fastify/multipart's and busboy's refusals as ours: never a 500 for a malformed form. */
export function multipartRefusal(error: unknown): unknown {
  if (error instanceof AppError) return error;
  const code = (error as { code?: string }).code;
  if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') return new AppError('unsupported_media_type', 'Send the file as multipart/form-data.');
  if (code?.startsWith('FST_') || error instanceof Error) {
    return new AppError('invalid_request', 'The multipart/form-data body is malformed or carries more than one file.');
  }
  return error;
}
