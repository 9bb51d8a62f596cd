/** The part of s3rver (a CommonJS package without types) that test/helpers/s3-server.ts uses. */
declare module 's3rver' {
  import type { AddressInfo } from 'node:net';

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
  }

  /** Koa's context, as far as a middleware in front of s3rver's router needs it. */
  export interface S3rverContext {
    method: string;
    path: string;
    query: Record<string, string | string[] | undefined>;
    status: number;
    /** Content-Type, by extension or MIME type. */
    type: string;
    body: unknown;
    /** Content-Length of the response. */
    length: number;
    /** A request header. */
    get(field: string): string;
    /** Sets a response header. */
    set(field: string, value: string): void;
    response: { get(field: string): string };
  }

  class S3rver {
    constructor(options?: S3rverOptions);
    /** Koa's middleware list; s3rver's own (logger, XML, vhost, router) are already in it. */
    middleware: ((ctx: S3rverContext, next: () => Promise<void>) => Promise<void> | void)[];
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  }
  export default S3rver;
}
