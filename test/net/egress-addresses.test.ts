/**
 * Outgoing requests reach only the addresses the policy allows, checked where the socket is
 * made: on the address in the URL, and on every address a host name resolves to. Real sockets
 * on loopback; host names other than localhost resolve through the agents' `lookup` option.
 */
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import {
  createEgressAgents,
  egressOptionsFrom,
  egressRequest,
  EgressRefused,
  type EgressAgents,
} from '../../src/net/egress.js';
import { hostsLookup } from '../../src/net/hosts-lookup.js';
import { startReceiver, type Receiver } from '../helpers/http-receiver.js';

const HOSTS = hostsLookup({
  'metadata.test': ['169.254.169.254'],
  'intranet.test': ['10.20.30.40'],
  // A public answer beside a private one: refused, since net may connect to either.
  'split.test': ['93.184.215.14', '127.0.0.1'],
  'ci.internal': ['127.0.0.1'],
  'other.internal': ['127.0.0.1'],
});

let agents: EgressAgents | undefined;
function agentsWith(env: Record<string, string>, extra: { ca?: string } = {}): EgressAgents {
  agents = createEgressAgents({ ...egressOptionsFrom(loadConfig(env)), lookup: HOSTS, ...extra });
  return agents;
}
afterEach(() => agents?.destroy());

async function refusal(url: string, egress: EgressAgents): Promise<EgressRefused> {
  const error = await egressRequest(url, { agents: egress, timeoutMs: 5_000 }).then(
    () => expect.fail(`${url} was requested`),
    (e: unknown) => e,
  );
  expect(error, url).toBeInstanceOf(EgressRefused);
  return error as EgressRefused;
}

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver((_req, res) => res.end('hello'));
});
afterAll(() => receiver.close());

describe('egressRequest with the default settings', () => {
  it('refuses loopback in every spelling (127.0.0.1, [::1], [::ffff:127.0.0.1], localhost, 0.0.0.0) without opening a connection', async () => {
    const egress = agentsWith({});
    const port = receiver.port;
    for (const host of ['127.0.0.1', '127.9.9.9', '[::1]', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', 'localhost', 'LocalHost', '0.0.0.0', '[::]', '127.1']) {
      const error = await refusal(`http://${host}:${port}/`, egress);
      expect(error.reason, host).toBe('address');
    }
    expect(receiver.connections).toBe(0);
  });

  it('refuses them over https the same way', async () => {
    const egress = agentsWith({});
    for (const host of ['127.0.0.1', '[::1]', 'localhost']) {
      expect((await refusal(`https://${host}:${receiver.port}/`, egress)).reason).toBe('address');
    }
    expect(receiver.connections).toBe(0);
  });

  it('refuses private networks and the metadata service at once, by address or by a name resolving to one', async () => {
    const egress = agentsWith({});
    for (const url of [
      'http://10.1.2.3/hook',
      'http://172.16.0.1/',
      'http://192.168.0.1/',
      'http://100.64.0.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00::1]/',
      'http://[fe80::1]/',
      'http://[64:ff9b::a9fe:a9fe]/',
      'http://metadata.test/latest/meta-data/',
      'http://intranet.test/',
      'https://intranet.test/',
      'http://split.test/',
    ]) {
      const started = Date.now();
      const error = await refusal(url, egress);
      expect(error.reason, url).toBe('address');
      // Refused before any connection attempt, not after one timed out.
      expect(Date.now() - started, url).toBeLessThan(1_000);
    }
  });

  it('says which name and address were refused, for the log', async () => {
    const error = await refusal('http://metadata.test/', agentsWith({}));
    expect(error.message).toMatch(/metadata\.test \(169\.254\.169\.254\) is a linkLocal address/);
  });

  it('refuses URLs that are not http: or https:, with reason scheme', async () => {
    const egress = agentsWith({});
    for (const url of ['ftp://example.com/', 'file:///etc/passwd', 'data:text/plain,hi', 'ws://example.com/', 'gopher://127.0.0.1:6379/_', 'not a url', '//example.com/']) {
      expect((await refusal(url, egress)).reason, url).toBe('scheme');
    }
  });
});

describe('EGRESS_ALLOW_PRIVATE_ADDRESSES=on', () => {
  it('reaches a receiver on loopback by address, IPv6 address or localhost', async () => {
    const egress = agentsWith({ EGRESS_ALLOW_PRIVATE_ADDRESSES: 'on' });
    for (const host of ['127.0.0.1', '[::1]', 'localhost']) {
      const response = await egressRequest(`http://${host}:${receiver.port}/`, { agents: egress });
      expect(response.status, host).toBe(200);
      expect(response.body.toString(), host).toBe('hello');
    }
  });

  it('still refuses 0.0.0.0 and ::, which would reach this machine whatever it listens on', async () => {
    const egress = agentsWith({ EGRESS_ALLOW_PRIVATE_ADDRESSES: 'on' });
    for (const host of ['0.0.0.0', '[::]', '[::ffff:0.0.0.0]']) {
      expect((await refusal(`http://${host}:${receiver.port}/`, egress)).reason).toBe('address');
    }
  });
});

describe('EGRESS_ALLOWED_HOSTS', () => {
  it('lets a listed host name through to its private address, and no other name resolving there', async () => {
    const egress = agentsWith({ EGRESS_ALLOWED_HOSTS: 'ci.internal' });
    const response = await egressRequest(`http://ci.internal:${receiver.port}/`, { agents: egress });
    expect(response.status).toBe(200);
    await refusal(`http://other.internal:${receiver.port}/`, egress);
    await refusal(`http://127.0.0.1:${receiver.port}/`, egress);
  });

  it('lets a listed block through whatever name leads there, and nothing outside it', async () => {
    const egress = agentsWith({ EGRESS_ALLOWED_HOSTS: '127.0.0.0/8' });
    expect((await egressRequest(`http://127.0.0.1:${receiver.port}/`, { agents: egress })).status).toBe(200);
    expect((await egressRequest(`http://other.internal:${receiver.port}/`, { agents: egress })).status).toBe(200);
    await refusal(`http://[::1]:${receiver.port}/`, egress);
    await refusal('http://intranet.test/', egress);
  });
});

describe('https through the guarded agent', () => {
  let dir: string | undefined;
  let tls: { cert: string; key: string } | undefined;
  beforeAll(() => {
    try {
      dir = mkdtempSync(join(tmpdir(), 'egress-tls-'));
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=localhost',
        '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
      tls = { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') };
    } catch {
      tls = undefined;
    }
  });
  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('is an https.Agent, as libraries that take an agent option (web-push) check', () => {
    const egress = agentsWith({});
    expect(egress.https).toBeInstanceOf(https.Agent);
    expect(egress.http).toBeInstanceOf(http.Agent);
    expect(egress.https.maxSockets).toBe(4);
  });

  it('completes a TLS exchange with certificate checks intact, by address and by name', async (context) => {
    if (tls === undefined) return context.skip('openssl is not installed');
    const secure = await startReceiver((_req, res) => res.end('secure'), { tls });
    try {
      const egress = agentsWith({ EGRESS_ALLOW_PRIVATE_ADDRESSES: 'on' }, { ca: tls.cert });
      for (const host of ['127.0.0.1', 'localhost']) {
        const response = await egressRequest(`https://${host}:${secure.port}/`, { agents: egress });
        expect(response.body.toString(), host).toBe('secure');
      }
      // Without the test CA the certificate is refused: the guard did not weaken verification.
      const untrusted = agentsWith({ EGRESS_ALLOW_PRIVATE_ADDRESSES: 'on' });
      await expect(egressRequest(`https://localhost:${secure.port}/`, { agents: untrusted })).rejects.toThrow(/self.signed|SELF_SIGNED/i);
    } finally {
      await secure.close();
    }
  });
});
