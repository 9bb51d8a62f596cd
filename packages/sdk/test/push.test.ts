/**
 * Web Push through the SDK against a real server: the VAPID key, and a browser subscription
 * added (twice: the same id), listed and removed; a bad one refused with its code.
 */
import { createECDH, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PneumaticError } from '../src/errors.js';
import { registeredClient } from './helpers.js';
import { proxiedServerForSuite } from './proxied-server.js';

const suite = proxiedServerForSuite();
const { cleanups } = suite;

describe('Web Push in the SDK', () => {
  it('reads the VAPID key, adds a subscription idempotently, lists and removes it', async () => {
    const alice = await registeredClient(suite.server.url, 'alice');
    cleanups.push(() => alice.close());
    expect(await alice.getVapidPublicKey()).toMatch(/^B[A-Za-z0-9_-]{86}$/);
    const json = { endpoint: `https://push.example.test/${randomBytes(8).toString('hex')}`, expirationTime: null, keys: { p256dh: createECDH('prime256v1').generateKeys().toString('base64url'), auth: randomBytes(16).toString('base64url') } };
    const added = await alice.addPushSubscription(json);
    expect(await alice.addPushSubscription(json)).toEqual(added);
    expect(await alice.listPushSubscriptions()).toEqual([added]);
    await alice.removePushSubscription(added.id);
    expect(await alice.listPushSubscriptions()).toEqual([]);
    const refused = await alice.addPushSubscription({ ...json, endpoint: 'http://push.example.test/x' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PneumaticError);
    expect(refused).toMatchObject({ code: 'invalid_push_subscription', status: 400 });
  });
});
