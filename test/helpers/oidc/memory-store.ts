/**
 * oidc-provider's storage for one test provider: a plain Map, and clients that a test can add or
 * change while the provider runs.
 *
 * Why not the built-in MemoryAdapter: it keeps one module-wide LRU of 1,000 entries that every
 * Provider in the process shares (and warns on every start). Why clients here and not in the
 * `clients` configuration: static clients are frozen at construction, but the Pneumatic server's
 * redirect URI names its ephemeral port, known only after the server starts — which is after the
 * provider, whose issuer the server needs at boot. oidc-provider looks up a client that is not
 * static through the adapter and caches it by a hash of its metadata, so a changed client is
 * picked up on the next request.
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';

/** Client metadata (RFC 7591 names) as oidc-provider takes it. */
export interface ClientMetadata {
  client_id: string;
  /** Without it a public client (token_endpoint_auth_method `none`, PKCE only). */
  client_secret?: string;
  redirect_uris: string[];
  [key: string]: unknown;
}

export class MemoryStore {
  private readonly entries = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
  readonly clients = new Map<string, ClientMetadata>();

  setClient(client: ClientMetadata): void {
    const defaults = client.client_secret === undefined ? { token_endpoint_auth_method: 'none' } : {};
    this.clients.set(client.client_id, { ...defaults, ...client });
  }

  /** The `adapter` factory of the provider's configuration: one adapter per model name. */
  adapterFor = (model: string): Adapter => {
    const key = (id: string) => `${model}:${id}`;
    const get = (id: string | undefined): AdapterPayload | undefined => {
      if (id === undefined) return undefined;
      if (model === 'Client') return this.clients.get(id);
      const entry = this.entries.get(key(id));
      if (!entry || entry.expiresAt <= Date.now()) return undefined;
      return entry.payload;
    };
    const findBy = (field: 'uid' | 'userCode', value: string) =>
      [...this.entries.entries()].find(([k, e]) => k.startsWith(`${model}:`) && e.payload[field] === value && e.expiresAt > Date.now())?.[1].payload;
    return {
      upsert: async (id, payload, expiresIn) => {
        this.entries.set(key(id), { payload, expiresAt: expiresIn === undefined ? Infinity : Date.now() + expiresIn * 1000 });
      },
      find: async (id) => get(id),
      findByUid: async (uid) => findBy('uid', uid),
      findByUserCode: async (userCode) => findBy('userCode', userCode),
      consume: async (id) => {
        const payload = get(id);
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      },
      destroy: async (id) => {
        this.entries.delete(key(id));
      },
      // A reused authorization code revokes everything issued under its grant (RFC 6749 §4.1.2).
      revokeByGrantId: async (grantId) => {
        for (const [k, e] of this.entries) if (e.payload.grantId === grantId) this.entries.delete(k);
      },
    };
  };
}
