/**
 * The server's VAPID identity (RFC 8292): a P-256 key pair push services know this server by.
 * From VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY when set, else generated at first start and kept in
 * `server_secrets`, so every process on the database signs with the same key and subscriptions
 * made through one process work from all (a push service refuses a token signed by another key
 * than the subscription's `applicationServerKey`).
 */
import webpush from 'web-push';
import type { Config } from '../config/config.js';
import type { PushSubscriptionRepository } from '../domain/ports/push-repository.js';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  subject: string;
}

const SECRET_NAME = 'vapid_keys';

/** Used when neither VAPID_SUBJECT nor an https PUBLIC_URL says how to reach the operator. */
export const PLACEHOLDER_SUBJECT = 'mailto:push-admin@pneumatic.invalid';

export function vapidSubjectOf(config: Pick<Config, 'VAPID_SUBJECT' | 'PUBLIC_URL'>): string {
  if (config.VAPID_SUBJECT !== '') return config.VAPID_SUBJECT;
  if (config.PUBLIC_URL?.startsWith('https://')) return config.PUBLIC_URL;
  return PLACEHOLDER_SUBJECT;
}

export async function loadVapidKeys(config: Config, secrets: Pick<PushSubscriptionRepository, 'secret'>): Promise<VapidKeys> {
  const subject = vapidSubjectOf(config);
  if (config.VAPID_PUBLIC_KEY !== '') return { publicKey: config.VAPID_PUBLIC_KEY, privateKey: config.VAPID_PRIVATE_KEY, subject };
  const stored = JSON.parse(await secrets.secret(SECRET_NAME, JSON.stringify(webpush.generateVAPIDKeys()))) as webpush.VapidKeys;
  return { publicKey: stored.publicKey, privateKey: stored.privateKey, subject };
}

/** A token is signed for 12 hours (RFC 8292 allows up to 24) and reused until an hour before it ends. */
const TOKEN_LIFETIME_S = 12 * 3600;
const TOKEN_RENEW_BEFORE_S = 3600;

/**
 * `Authorization: vapid t=<JWT>, k=<key>` per push service origin (the token's `aud`), signed once
 * and reused: an ES256 signature per push would be most of a push's CPU.
 */
export class VapidTokens {
  private readonly cache = new Map<string, { header: string; expires: number }>();

  constructor(
    private readonly keys: VapidKeys,
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  authorization(origin: string): string {
    const now = this.nowSeconds();
    const cached = this.cache.get(origin);
    if (cached && cached.expires - now > TOKEN_RENEW_BEFORE_S) return cached.header;
    const expires = now + TOKEN_LIFETIME_S;
    const { Authorization } = webpush.getVapidHeaders(origin, this.keys.subject, this.keys.publicKey, this.keys.privateKey, 'aes128gcm', expires);
    // Origins are push services, a handful; the bound only guards against a flood of odd endpoints.
    if (this.cache.size >= 1000) this.cache.clear();
    this.cache.set(origin, { header: Authorization, expires });
    return Authorization;
  }
}
