/** UrlSigner: what it signs in JSON text and what it leaves alone, expiry rounding, and checks. */
import { describe, expect, it } from 'vitest';
import { UrlSigner } from '../../../src/files/signed-urls.js';

const ID = '5d0e4f2a-1b2c-4d3e-8f9a-0b1c2d3e4f5a';
const NOW = Date.UTC(2026, 11, 6, 10, 0, 30);
const signer = (now = NOW) => new UrlSigner('k'.repeat(32), 3600, () => now);

describe('UrlSigner', () => {
  it('signs the url and thumbnail_url values of upload paths, in compact and spaced JSON alike', () => {
    const text = JSON.stringify({ attachments: [{ id: ID, url: `/uploads/${ID}/content`, thumbnail_url: `/uploads/${ID}/thumbnail` }] });
    const signed = JSON.parse(signer().signJson(text)) as { attachments: { url: string; thumbnail_url: string }[] };
    expect(signed.attachments[0]!.url).toMatch(new RegExp(`^/uploads/${ID}/content\\?expires=\\d+&signature=[A-Za-z0-9_-]{43}$`));
    expect(signed.attachments[0]!.thumbnail_url).toMatch(new RegExp(`^/uploads/${ID}/thumbnail\\?expires=\\d+&signature=`));
    const spaced = `{"url" : "/uploads/${ID}/content"}`;
    expect(signer().signJson(spaced)).toMatch(/^\{"url" : "\/uploads\/.*\?expires=\d+&signature=[^"]+"\}$/);
  });

  it('leaves alone what only looks like a link: inside content, under another key, not an upload path', () => {
    const forged = JSON.stringify({ content: `"url":"/uploads/${ID}/content"`, href: `/uploads/${ID}/content`, url: `/uploads/${ID}/other` });
    expect(signer().signJson(forged)).toBe(forged);
    const plain = '{"content":"no links here"}';
    expect(signer().signJson(plain)).toBe(plain);
  });

  it('gives links valid for at least the lifetime, the same for a quarter of it', () => {
    const first = signer().expiry();
    expect(first * 1000).toBeGreaterThanOrEqual(NOW + 3_600_000);
    expect(first * 1000).toBeLessThanOrEqual(NOW + 3_600_000 + 900_000);
    expect(signer(NOW + 60_000).expiry()).toBe(first);
    expect(signer(NOW + 900_000).expiry()).toBeGreaterThan(first);
  });

  it('checks a link: valid, expired, or invalid when any part was changed', () => {
    const url = new URL(signer().url(ID, 'content'), 'http://x');
    const [expires, signature] = [url.searchParams.get('expires')!, url.searchParams.get('signature')!];
    expect(signer().check(ID, 'content', expires, signature)).toBe('valid');
    expect(signer(Number(expires) * 1000).check(ID, 'content', expires, signature)).toBe('expired');
    expect(signer().check(ID, 'thumbnail', expires, signature)).toBe('invalid');
    expect(signer().check(ID.replace('5d', '6d'), 'content', expires, signature)).toBe('invalid');
    expect(signer().check(ID, 'content', String(Number(expires) + 1), signature)).toBe('invalid');
    expect(signer().check(ID, 'content', '1e10', signature)).toBe('invalid');
    expect(new UrlSigner('z'.repeat(32), 3600, () => NOW).check(ID, 'content', expires, signature)).toBe('invalid');
  });
});
