/**
 * The browser push helpers on a fake ServiceWorkerRegistration and a fake API: subscribing is
 * idempotent and uses the server's key, a subscription under another key is replaced,
 * unsubscribing removes both sides, and a repeated push (same id) is recognised.
 */
import { describe, expect, it } from 'vitest';
import { base64UrlBytes, isNewPush, subscribeToPush, unsubscribeFromPush, type PushApi, type PushRegistrationLike, type PushSubscriptionLike } from '../../src/push/web-push.js';
import type { PushPayload, PushSubscription, PushSubscriptionJson } from '../../src/types.js';

const KEY = 'BPf2K8cA_yq9tyuk3N1MCJb0IdqJ0cAuHcm0UXXPJTG33MKOYzOvgE7aPyuxRldDnGdVj-ItjjNdw2E9FqC8d-E';
const OTHER_KEY = 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM';

class FakeBrowser implements PushRegistrationLike {
  subscription: (PushSubscriptionLike & { key: Uint8Array }) | null = null;
  subscribeCalls = 0;
  readonly pushManager = {
    getSubscription: async () => this.subscription,
    subscribe: async (options: { userVisibleOnly: boolean; applicationServerKey: Uint8Array }) => {
      expect(options.userVisibleOnly).toBe(true);
      this.subscribeCalls++;
      const endpoint = `https://push.example/${this.subscribeCalls}`;
      const key = options.applicationServerKey;
      this.subscription = {
        endpoint,
        key,
        options: { applicationServerKey: key.buffer.slice(key.byteOffset, key.byteOffset + key.byteLength) as ArrayBuffer },
        toJSON: () => ({ endpoint, expirationTime: null, keys: { p256dh: 'p', auth: 'a' } }),
        unsubscribe: async () => ((this.subscription = null), true),
      };
      return this.subscription;
    },
  };
  notifications: { data?: unknown }[] = [];
  async getNotifications() {
    return this.notifications;
  }
}

class FakeApi implements PushApi {
  key = KEY;
  readonly stored = new Map<string, PushSubscription>();
  async getVapidPublicKey() {
    return this.key;
  }
  async addPushSubscription(s: PushSubscriptionJson) {
    const existing = [...this.stored.values()].find((x) => x.endpoint === s.endpoint);
    const record = existing ?? { id: `id-${this.stored.size + 1}`, endpoint: s.endpoint, created_at: 'now', expires_at: null };
    this.stored.set(record.id, record);
    return record;
  }
  async listPushSubscriptions() {
    return [...this.stored.values()];
  }
  async removePushSubscription(id: string) {
    this.stored.delete(id);
  }
}

describe('subscribeToPush', () => {
  it("subscribes with the server's key once, and registers the same subscription again on later calls", async () => {
    const [browser, api] = [new FakeBrowser(), new FakeApi()];
    const first = await subscribeToPush(api, browser);
    const again = await subscribeToPush(api, browser);
    expect(again).toEqual(first);
    expect(browser.subscribeCalls).toBe(1);
    expect(browser.subscription!.key).toEqual(base64UrlBytes(KEY));
    expect(base64UrlBytes(KEY)).toHaveLength(65);
  });

  it("replaces a subscription made with another key (the server's changed)", async () => {
    const [browser, api] = [new FakeBrowser(), new FakeApi()];
    api.key = OTHER_KEY;
    await subscribeToPush(api, browser);
    api.key = KEY;
    const replaced = await subscribeToPush(api, browser);
    expect(browser.subscribeCalls).toBe(2);
    expect(replaced.endpoint).toBe('https://push.example/2');
  });
});

describe('unsubscribeFromPush', () => {
  it('removes the subscription from the server and the browser; false when there was none', async () => {
    const [browser, api] = [new FakeBrowser(), new FakeApi()];
    await subscribeToPush(api, browser);
    expect(await unsubscribeFromPush(api, browser)).toBe(true);
    expect(api.stored.size).toBe(0);
    expect(browser.subscription).toBeNull();
    expect(await unsubscribeFromPush(api, browser)).toBe(false);
  });
});

describe('isNewPush', () => {
  it('is false for a push whose id a shown notification already carries', async () => {
    const browser = new FakeBrowser();
    const payload = { id: 'p1', conversation_id: 'c' } as PushPayload;
    expect(await isNewPush(browser, payload)).toBe(true);
    browser.notifications.push({ data: { id: 'p1' } });
    expect(await isNewPush(browser, payload)).toBe(false);
    expect(await isNewPush(browser, { ...payload, id: 'p2' })).toBe(true);
  });
});
