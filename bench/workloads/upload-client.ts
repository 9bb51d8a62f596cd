/**
 * The uploads workload's clients: N clients at once, each uploading its files one after the
 * other (POST /uploads, multipart/form-data with the one part `file`) over its own keep-alive
 * connection, every answer checked (201, the size and SHA-256 of the bytes sent).
 *
 * Each request's body is one buffer built once (the form's head, the file, its closing
 * boundary), written with a Content-Length in a single call: the kernel copies it to the
 * socket as the server reads, and the client runs no JavaScript per chunk. So the runner's
 * CPU stays far below a core (the report shows it) and the figure is the server's. fetch with
 * a FormData of a Blob would do the same job through web streams in JavaScript, chunk by chunk.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { UPLOAD_FILE_FIELD, type Upload } from '@pneumatic/protocol';
import { createAgent } from '../lib/http.js';

/** The file every upload and every baseline write carries: random bytes made once per run. */
export interface UploadPayload {
  fileBytes: number;
  sha256: string;
  /** The file as the baseline writes it: the same bytes in `chunkBytes` pieces. */
  chunks: Buffer[];
  /** The whole multipart/form-data body. */
  body: Buffer;
  contentType: string;
}

export function uploadPayload(fileBytes: number, chunkBytes: number): UploadPayload {
  const file = randomBytes(fileBytes);
  // 32 random hex digits: the chance that random file bytes contain the boundary is nil.
  const boundary = `pneumatic-bench-${randomBytes(16).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${UPLOAD_FILE_FIELD}"; filename="bench.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < fileBytes; offset += chunkBytes) chunks.push(file.subarray(offset, offset + chunkBytes));
  return {
    fileBytes,
    sha256: createHash('sha256').update(file).digest('hex'),
    chunks,
    body: Buffer.concat([head, file, tail]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

export interface UploadAnswer {
  ms: number;
  /** null when the upload is what was sent; otherwise what was wrong. */
  problem: string | null;
}

/** One POST /uploads; resolves once the answer's whole body arrived. */
export function uploadOnce(agent: http.Agent, baseUrl: string, token: string, payload: UploadPayload): Promise<UploadAnswer> {
  const url = new URL('/uploads', baseUrl);
  if (url.hostname !== '127.0.0.1') return Promise.reject(new Error(`refusing a non-loopback target: ${url.hostname}`));
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': payload.contentType, 'content-length': String(payload.body.length) },
        timeout: 120_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const ms = performance.now() - started;
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 201) return resolve({ ms, problem: `${res.statusCode}: ${text.slice(0, 200)}` });
          const upload = JSON.parse(text) as Upload;
          if (upload.size !== payload.fileBytes || upload.sha256 !== payload.sha256) {
            return resolve({ ms, problem: `201 with size ${upload.size} and sha256 ${upload.sha256.slice(0, 12)}…, not what was sent` });
          }
          resolve({ ms, problem: null });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout: POST /uploads')));
    req.on('error', reject);
    req.end(payload.body);
  });
}

export interface ClientsOutcome {
  wallMs: number;
  files: number;
  /** Per upload, from its request to the end of its answer. */
  uploadMs: number[];
  errors: number;
  errorSamples: string[];
}

/**
 * `tokens.length` clients at once, each uploading `filesPerClient` files in sequence. Wall time
 * runs from the first request to the last answer.
 */
export async function uploadConcurrently(baseUrl: string, tokens: readonly string[], filesPerClient: number, payload: UploadPayload): Promise<ClientsOutcome> {
  const agents = tokens.map(() => createAgent(1));
  const uploadMs: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  const fail = (problem: string) => {
    errors += 1;
    if (errorSamples.length < 3) errorSamples.push(problem);
  };
  const started = performance.now();
  try {
    await Promise.all(
      tokens.map(async (token, i) => {
        for (let n = 0; n < filesPerClient; n++) {
          try {
            const answer = await uploadOnce(agents[i]!, baseUrl, token, payload);
            uploadMs.push(answer.ms);
            if (answer.problem) fail(answer.problem);
          } catch (error) {
            fail(error instanceof Error ? error.message : String(error));
          }
        }
      }),
    );
  } finally {
    for (const agent of agents) agent.destroy();
  }
  return { wallMs: performance.now() - started, files: tokens.length * filesPerClient, uploadMs, errors, errorSamples };
}
