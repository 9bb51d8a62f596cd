/**
 * Signed download links (docs/API.md, "Files and images"): `/uploads/{id}/content?expires=E&signature=S`
 * where S is HMAC-SHA256 over the variant, the id and E (Unix seconds), keyed by a server secret
 * (UPLOAD_URL_SECRET, or one generated once and kept in the database so every process agrees).
 * An `<img>` needs no token in its URL, and a link stops working at E.
 *
 * Messages and uploads carry their paths unsigned wherever they are stored or logged; the links
 * are signed as a payload leaves the server (the HTTP onSend hook, each WebSocket frame), so no
 * stored copy ever holds an expiring link. Signing rewrites the JSON text: a path is signed only
 * where it is the whole value of a `"url"` or `"thumbnail_url"` key. Inside any JSON string a
 * quote is escaped, so message content cannot fake that shape.
 *
 * E is rounded up to a quarter of the lifetime, so one message's links stay the same for a while
 * (browsers reuse their cached image) and are always valid for at least the lifetime.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { UploadVariant } from '../domain/uploads/storage-keys.js';

export type SignatureCheck = 'valid' | 'expired' | 'invalid';

const UNSIGNED = /"(url|thumbnail_url)"(\s*:\s*)"\/uploads\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/(content|thumbnail)"/g;
const MARKER = '"/uploads/';

export class UrlSigner {
  constructor(
    /** Readable so a thread of this process (the webhook thread) can sign links alike. */
    readonly secret: string,
    readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The expiry a link signed now gets: at least the lifetime ahead, rounded up to a quarter of it. */
  expiry(): number {
    const step = Math.max(1, Math.floor(this.ttlSeconds / 4));
    const earliest = Math.floor(this.now() / 1000) + this.ttlSeconds;
    return Math.ceil(earliest / step) * step;
  }

  signature(id: string, variant: UploadVariant, expires: number): string {
    return createHmac('sha256', this.secret).update(`${variant}\n${id}\n${expires}`).digest('base64url');
  }

  /** The signed link of an upload's bytes or thumbnail. */
  url(id: string, variant: UploadVariant, expires = this.expiry()): string {
    return `/uploads/${id}/${variant}?expires=${expires}&signature=${this.signature(id, variant, expires)}`;
  }

  check(id: string, variant: UploadVariant, expires: string, signature: string): SignatureCheck {
    if (!/^\d{1,12}$/.test(expires)) return 'invalid';
    const expected = Buffer.from(this.signature(id, variant, Number(expires)));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
    return Number(expires) * 1000 <= this.now() ? 'expired' : 'valid';
  }

  /** `text` (JSON) with every unsigned upload link in it signed; the same string when it has none. */
  signJson(text: string): string {
    if (!text.includes(MARKER)) return text;
    const expires = this.expiry();
    return text.replace(UNSIGNED, (_match, key: string, colon: string, id: string, variant: UploadVariant) => `"${key}"${colon}"${this.url(id, variant, expires)}"`);
  }
}
