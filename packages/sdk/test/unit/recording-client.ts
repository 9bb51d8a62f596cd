/**
 * A PneumaticClient whose requests a fake fetch records instead of sending: for tests of what
 * each method puts on the wire (method, path, query, body, whether the token goes with it).
 */
import { PneumaticClient } from '../../src/client.js';
import type { FetchLike } from '../../src/http-client.js';

export interface Sent {
  method: string;
  url: URL;
  body: unknown;
  /** Whether the request carried the bearer token. */
  authorized: boolean;
  /** The fetch credentials mode the client asked for, if any. */
  credentials: string | undefined;
}

/** A client logged in with token `t`; each request is answered by `answer` with 200 (204 when it gives undefined). */
export function recordingClient(answer: (sent: Sent) => unknown = () => undefined): { client: PneumaticClient; sent: Sent[] } {
  const sent: Sent[] = [];
  const fetch: FetchLike = async (input, init) => {
    const request = { method: init.method, url: new URL(input), body: init.body === undefined ? undefined : JSON.parse(init.body), authorized: 'authorization' in init.headers, credentials: init.credentials };
    sent.push(request);
    const body = answer(request);
    const text = body === undefined ? '' : JSON.stringify(body);
    return { status: body === undefined ? 204 : 200, headers: { get: (name: string) => (name.toLowerCase() === 'content-type' ? 'application/json' : null) }, text: async () => text };
  };
  return { client: new PneumaticClient({ baseUrl: 'http://fake.test/', token: 't', fetch }), sent };
}

/** A request as one line: `POST /invites {"max_uses":5}`. */
export const line = ({ method, url, body }: Sent): string => `${method} ${url.pathname}${url.search}${body === undefined ? '' : ` ${JSON.stringify(body)}`}`;
