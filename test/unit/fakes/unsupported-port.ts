/**
 * A port the in-memory store does not model (outgoing webhooks: tested on the real stores and
 * servers, test/http/webhooks.routes.test.ts, test/webhooks/). Any call fails loudly rather than
 * passing on a guess.
 */
export function unsupportedPort<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get: (_target, property) => {
      if (property === 'then') return undefined;
      return () => {
        throw new Error(`${what} (${String(property)}) is not modelled by the in-memory store`);
      };
    },
  });
}
