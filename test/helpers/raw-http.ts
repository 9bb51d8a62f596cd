/** HTTP requests fetch will not send as given: odd headers (Host) over node:http, and raw bytes over TCP. */
import { request } from 'node:http';
import { connect } from 'node:net';
import { SECURITY_HEADERS } from '../../src/http/plugins/security-headers.js';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

export function rawRequest(baseUrl: string, path: string, headers: Record<string, string>, method = 'GET'): Promise<RawResponse> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method, headers, setHost: headers.host === undefined }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        const json = (res.headers['content-type'] ?? '').includes('json') && text.length > 0;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: json ? JSON.parse(text) : text });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

export interface RawReply {
  /** 0 when the server closed without answering. */
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** Parsed when JSON, else the text. */
  body: any;
  /** Everything the server sent, as latin1. */
  text: string;
}

/** Splits one HTTP/1.1 response, as read off the socket, into status, headers and body. */
export function parseRawReply(text: string): RawReply {
  const end = text.indexOf('\r\n\r\n');
  const head = end >= 0 ? text.slice(0, end) : text;
  const payload = end >= 0 ? text.slice(end + 4) : '';
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0);
  let body: unknown = payload;
  if ((headers['content-type'] ?? '').includes('json') && payload.length > 0) {
    try {
      body = JSON.parse(Buffer.from(payload, 'latin1').toString('utf8'));
    } catch {
      // not JSON after all: keep the text
    }
  }
  return { status, headers, body, text };
}

export interface RawExchangeOptions {
  /** The client address to connect from (any of 127.0.0.0/8 on Linux), to stand for another client. */
  localAddress?: string;
  /** Give up waiting for the server to close after this long. */
  timeoutMs?: number;
}

/**
 * Writes `data` as given (latin1, so any byte can be sent) on a fresh TCP connection and reads
 * until the server closes it, for requests no HTTP client would send.
 */
export function rawExchange(url: string, data: string, options: RawExchangeOptions = {}): Promise<RawReply & { closedByServer: boolean }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port), ...(options.localAddress ? { localAddress: options.localAddress } : {}) });
    let text = '';
    let closedByServer = true;
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => resolve({ ...parseRawReply(text), closedByServer }));
    socket.setTimeout(options.timeoutMs ?? 5000, () => {
      closedByServer = false;
      socket.destroy();
    });
    socket.write(data, 'latin1');
  });
}

/**
 * Throws unless `reply` is an RFC 9457 problem with this status and code, carrying every security
 * header the server sends on its other responses, on a connection the server closes.
 */
export function expectRawProblem(reply: RawReply, status: number, code: string): void {
  const body = reply.body as { status?: number; code?: string; title?: string; detail?: string };
  const missingHeaders = Object.entries(SECURITY_HEADERS).filter(([name, value]) => reply.headers[name] !== value).map(([name]) => name);
  const ok =
    reply.status === status &&
    (reply.headers['content-type'] ?? '').startsWith('application/problem+json') &&
    typeof body === 'object' &&
    body.status === status &&
    body.code === code &&
    typeof body.title === 'string' &&
    typeof body.detail === 'string' &&
    missingHeaders.length === 0 &&
    reply.headers.connection === 'close';
  if (!ok) {
    throw new Error(`expected problem ${status} ${code} with the security headers and Connection: close; got ${reply.text.slice(0, 1200)}${missingHeaders.length ? `\n(missing or different: ${missingHeaders.join(', ')})` : ''}`);
  }
}
