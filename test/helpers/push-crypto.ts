/**
 * What a browser and its push service do with a push, written from the RFCs with node:crypto
 * (not with the library the server encrypts with, so the two check each other):
 * - verifying the VAPID `Authorization: vapid t=<JWT>, k=<key>` header (RFC 8292, sections 2-3):
 *   an ES256 JWT signed with k, `aud` the push service's origin, `exp` in the future and at most
 *   24 hours ahead, `sub` a mailto: or https: URL;
 * - decrypting an `aes128gcm` body (RFC 8188, section 2; RFC 8291, section 3.4) with the
 *   subscription's private key and auth secret.
 */
import { createDecipheriv, createHmac, createPublicKey, verify, type ECDH } from 'node:crypto';

export interface VapidClaims {
  aud: string;
  exp: number;
  sub: string;
  /** The public key the token was signed with (base64url). */
  k: string;
}

/** The VAPID token's claims, or throws saying what is wrong with it. */
export function verifyVapid(header: string | undefined, expected: { origin: string; key: string | null; nowSeconds: number }): VapidClaims {
  const match = /^vapid t=([A-Za-z0-9_.-]+), ?k=([A-Za-z0-9_-]+)$/.exec(header ?? '');
  if (!match) throw new Error(`Authorization is not "vapid t=..., k=...": ${header}`);
  const [, token, k] = match as unknown as [string, string, string];
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('the JWT has not three parts');
  const [head, body, signature] = parts as [string, string, string];
  const jwtHeader = JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg?: string; typ?: string };
  if (jwtHeader.alg !== 'ES256') throw new Error(`JWT alg is ${jwtHeader.alg}, not ES256`);
  const raw = Buffer.from(k, 'base64url');
  if (raw.length !== 65 || raw[0] !== 4) throw new Error('k is not an uncompressed P-256 point');
  const publicKey = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33).toString('base64url') }, format: 'jwk' });
  const signed = verify('sha256', Buffer.from(`${head}.${body}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
  if (!signed) throw new Error('the JWT signature does not verify with k');
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Partial<VapidClaims>;
  if (claims.aud !== expected.origin) throw new Error(`aud is ${claims.aud}, not ${expected.origin}`);
  if (typeof claims.exp !== 'number' || claims.exp <= expected.nowSeconds) throw new Error('exp is not in the future');
  if (claims.exp > expected.nowSeconds + 24 * 3600) throw new Error('exp is more than 24 hours ahead');
  if (typeof claims.sub !== 'string' || !/^(mailto:|https:)/.test(claims.sub)) throw new Error(`sub is not a mailto: or https: URL: ${claims.sub}`);
  if (expected.key !== null && k !== expected.key) throw new Error('k is not the server\'s published VAPID key');
  return { aud: claims.aud, exp: claims.exp, sub: claims.sub, k };
}

const hmac = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest();

/** RFC 8291, section 3.4: the content key and nonce of a push from `senderPublic` to this subscription. */
function keys(receiver: ECDH, authSecret: Buffer, senderPublic: Buffer, salt: Buffer): { cek: Buffer; nonce: Buffer } {
  const shared = receiver.computeSecret(senderPublic);
  const info = Buffer.concat([Buffer.from('WebPush: info\0'), receiver.getPublicKey(), senderPublic, Buffer.from([1])]);
  const ikm = hmac(hmac(authSecret, shared), info);
  const prk = hmac(salt, ikm);
  return {
    cek: hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0\x01')).subarray(0, 16),
    nonce: hmac(prk, Buffer.from('Content-Encoding: nonce\0\x01')).subarray(0, 12),
  };
}

/** The plaintext of an aes128gcm body, or throws (a wrong key fails the GCM tag). */
export function decryptAes128gcm(body: Buffer, receiver: ECDH, authSecret: Buffer): Buffer {
  if (body.length < 21) throw new Error('body shorter than the aes128gcm header');
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20]!;
  const senderPublic = body.subarray(21, 21 + idlen);
  if (idlen !== 65) throw new Error(`keyid is ${idlen} bytes, not the sender's 65-byte public key`);
  const { cek, nonce } = keys(receiver, authSecret, senderPublic, salt);
  const records = body.subarray(21 + idlen);
  const out: Buffer[] = [];
  for (let seq = 0, at = 0; at < records.length; seq++, at += rs) {
    const record = records.subarray(at, Math.min(at + rs, records.length));
    const iv = Buffer.from(nonce);
    // The record's sequence number, XORed into the nonce's low bits (RFC 8188, section 2.3).
    iv.writeUInt32BE((iv.readUInt32BE(8) ^ seq) >>> 0, 8);
    const decipher = createDecipheriv('aes-128-gcm', cek, iv);
    decipher.setAuthTag(record.subarray(record.length - 16));
    const plain = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
    let end = plain.length - 1;
    while (end >= 0 && plain[end] === 0) end--;
    const last = at + rs >= records.length;
    if (plain[end] !== (last ? 2 : 1)) throw new Error(`record ${seq} has no ${last ? 'last' : ''} record delimiter`);
    out.push(plain.subarray(0, end));
  }
  return Buffer.concat(out);
}
