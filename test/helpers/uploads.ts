/** Uploading in tests: real multipart requests to POST /uploads, and reading files back. */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Upload } from '@pneumatic/protocol';
import type { Api, ApiResponse } from './api-client.js';

export const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/** A multipart form with `bytes` in the part `field` (default `file`). */
export function fileForm(bytes: Uint8Array | string, filename = 'file.bin', options: { field?: string; type?: string } = {}): FormData {
  const form = new FormData();
  form.append(options.field ?? 'file', new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)], { type: options.type ?? 'application/octet-stream' }), filename);
  return form;
}

export function upload(api: Api, bytes: Uint8Array | string, filename = 'file.bin', options: { field?: string; type?: string } = {}): Promise<ApiResponse<Upload & Record<string, any>>> {
  return api.request('POST', '/uploads', { form: fileForm(bytes, filename, options) });
}

/** Uploads and fails the test unless it answers 201. */
export async function uploaded(api: Api, bytes: Uint8Array | string, filename = 'file.bin', options: { type?: string } = {}): Promise<Upload> {
  const response = await upload(api, bytes, filename, options);
  if (response.status !== 201) throw new Error(`upload failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Fetches a (signed or not) upload link of `baseUrl`, as bytes. */
export async function download(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const response = await fetch(`${baseUrl}${path}`, { headers });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

/** Every file under `dir`, relative paths (empty when it does not exist). */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  const walk = (at: string, prefix: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path, `${prefix}${name}/`);
      else found.push(`${prefix}${name}`);
    }
  };
  walk(dir, '');
  return found;
}
