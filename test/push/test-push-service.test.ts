/**
 * The tests' push service (test/helpers/push-service.ts) checked against web-push itself: what
 * web-push encrypts and signs, it decrypts and accepts; a token it should refuse, it refuses.
 */
import webpush from 'web-push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPushService, type TestPushService } from '../helpers/push-service.js';

describe('the test push service', () => {
  let service: TestPushService;
  const keys = webpush.generateVAPIDKeys();
  const send = async (endpoint: string, subscription: { endpoint: string; keys: { p256dh: string; auth: string } }, payload: string, vapid = { subject: 'mailto:ops@example.com', ...keys }, extra: Record<string, string> = {}) => {
    const details = webpush.generateRequestDetails(subscription, payload, { vapidDetails: vapid, TTL: 60, topic: 'abc', urgency: 'high', contentEncoding: 'aes128gcm' });
    const response = await fetch(endpoint, { method: 'POST', headers: { ...details.headers, ...extra } as Record<string, string>, body: details.body ? new Uint8Array(details.body) : null });
    return response.status;
  };

  beforeAll(async () => {
    service = await startPushService();
    service.expectedKey = keys.publicKey;
  });
  afterAll(() => service.close());

  it('decrypts what web-push encrypts, checks its VAPID token and records the headers', async () => {
    const browser = service.subscribe();
    const payload = JSON.stringify({ id: 'x', type: 'message', preview: 'héllo 👋'.repeat(100) });
    expect(await send(browser.endpoint, browser, payload)).toBe(201);
    expect(service.problems).toEqual([]);
    const [push] = service.deliveredTo(browser.token);
    expect(push!.payload).toEqual(JSON.parse(payload));
    expect(push!.headers).toEqual({ ttl: '60', urgency: 'high', topic: 'abc', contentEncoding: 'aes128gcm' });
  });

  it('refuses a token signed by another key than the published one, and one for another audience', async () => {
    const browser = service.subscribe();
    expect(await send(browser.endpoint, browser, '{}', { subject: 'mailto:ops@example.com', ...webpush.generateVAPIDKeys() })).toBe(400);
    expect(service.problems.pop()).toMatch(/published VAPID key/);
    const token = webpush.getVapidHeaders('https://elsewhere.example', 'mailto:ops@example.com', keys.publicKey, keys.privateKey, 'aes128gcm');
    expect(await send(browser.endpoint, browser, '{}', undefined, { Authorization: token.Authorization })).toBe(400);
    expect(service.problems.pop()).toMatch(/aud is https:\/\/elsewhere.example/);
  });

  it('refuses a body encrypted for another subscription', async () => {
    const [mine, other] = [service.subscribe(), service.subscribe()];
    expect(await send(mine.endpoint, other, '{}')).toBe(400);
    expect(service.problems.pop()).toMatch(/unable to authenticate|Unsupported state/i);
  });

  it('answers as told, hangs, and is down with its port closed until it is up again', async () => {
    const browser = service.subscribe();
    service.answer(410, browser.token);
    expect(await send(browser.endpoint, browser, '{}')).toBe(410);
    service.answer('hang', browser.token);
    const hung = send(browser.endpoint, browser, '{}').catch(() => 'closed');
    await service.waitFor(() => service.requests.filter((r) => r.token === browser.token).length === 2);
    await service.down();
    expect(await hung).toBe('closed');
    await expect(send(browser.endpoint, browser, '{}')).rejects.toThrow();
    await service.up();
    service.answer(201, browser.token);
    expect(await send(browser.endpoint, browser, '{}')).toBe(201);
  });
});
