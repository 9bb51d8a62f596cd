/**
 * Change feed: `POST /sync` for one user in N conversations (500 full, 100 quick) after 10
 * changes in each, and after none. Sequential calls with the same positions, each independent;
 * latency until the whole body has arrived, the body's size as it arrived with a browser's
 * Accept-Encoding, and the events it carried. Pneumatic only: the raw ws server has no change feed.
 */
import * as zlib from 'node:zlib';
import type { SyncResponse } from '@pneumatic/protocol';
import { createAgent, requestRaw } from '../lib/http.js';
import { treeCpuSeconds } from '../lib/processes.js';
import type { BenchUser } from '../lib/setup.js';
import { quantile, round } from '../lib/stats.js';
import type { RunningTarget } from '../lib/targets.js';
import type { BenchContext } from './context.js';
import { CHANGES_PER_CONVERSATION, headsOf, prepareSync } from './sync-setup.js';

/** What Chrome sends: the server may pick any of these. */
export const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

export interface SyncCase {
  /** Conversations listed in the request. */
  conversations: number;
  repetitions: number;
  /** Of every timed call, in order (ms). */
  samplesMs: number[];
  /** The first call, before the timed ones (not in the samples). */
  firstCallMs: number;
  latency: { min: number; p50: number; p90: number; max: number };
  /** Content-Encoding of the answer ("identity" when none). */
  contentEncoding: string;
  /** Body bytes as they arrived, and decoded. */
  wireBytes: number;
  decodedBytes: number;
  /** The decoded body gzipped here (level 6), for comparison when the server sent it uncompressed. */
  gzipBytes: number;
  events: number;
  eventsByType: Record<string, number>;
  /** JSON bytes of the events of each type (where the body's size goes). */
  eventBytesByType: Record<string, number>;
  /** Conversations answered with status other than "events", or has_more. */
  anomalies: string[];
  /** Server CPU (whole process tree) per timed call, in ms (10 ms clock ticks over all calls). */
  serverCpuMsPerCall: number;
}

export interface SyncResult {
  workload: 'sync';
  target: string;
  conversations: number;
  changesPerConversation: number;
  expectedEvents: number;
  setupMs: number;
  changed: SyncCase;
  unchanged: SyncCase;
  error?: string;
}

function decode(body: Buffer, encoding: string): Buffer {
  switch (encoding) {
    case 'identity':
      return body;
    case 'gzip':
      return zlib.gunzipSync(body);
    case 'deflate':
      return zlib.inflateSync(body);
    case 'br':
      return zlib.brotliDecompressSync(body);
    default: {
      // zstd only from Node 22.15 / 23.8 on.
      const zstd = (zlib as { zstdDecompressSync?: (b: Buffer) => Buffer }).zstdDecompressSync;
      if (encoding === 'zstd' && zstd) return zstd(body);
      throw new Error(`POST /sync answered a Content-Encoding this Node cannot decode: ${encoding}`);
    }
  }
}

/** Times `repetitions` sequential POST /sync calls with the same positions, after one untimed call. */
async function timeSync(target: RunningTarget, reader: BenchUser, positions: Record<string, number>, repetitions: number): Promise<{ result: SyncCase; response: SyncResponse }> {
  const agent = createAgent(1);
  const body = { conversations: positions };
  const call = async () => {
    const t0 = performance.now();
    const res = await requestRaw(agent, target.baseUrl, 'POST', '/sync', { token: reader.token, body, headers: { 'accept-encoding': BROWSER_ACCEPT_ENCODING }, timeoutMs: 60_000 });
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`POST /sync answered ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`);
    return { ms, res };
  };
  try {
    const first = await call();
    const samplesMs: number[] = [];
    const cpuBefore = treeCpuSeconds(target.pid);
    for (let i = 0; i < repetitions; i++) samplesMs.push(round((await call()).ms));
    const serverCpuMsPerCall = round(((treeCpuSeconds(target.pid) - cpuBefore) * 1000) / repetitions, 1);
    const contentEncoding = String(first.res.headers['content-encoding'] ?? 'identity');
    const decoded = decode(first.res.body, contentEncoding);
    const response = JSON.parse(decoded.toString('utf8')) as SyncResponse;
    const eventsByType: Record<string, number> = {};
    const eventBytesByType: Record<string, number> = {};
    const anomalies: string[] = [];
    for (const entry of response.conversations) {
      if (entry.status !== 'events') anomalies.push(`${entry.conversation_id}: ${entry.status}`);
      else {
        if (entry.has_more) anomalies.push(`${entry.conversation_id}: has_more`);
        for (const event of entry.events) {
          eventsByType[event.type] = (eventsByType[event.type] ?? 0) + 1;
          eventBytesByType[event.type] = (eventBytesByType[event.type] ?? 0) + Buffer.byteLength(JSON.stringify(event));
        }
      }
    }
    const sorted = [...samplesMs].sort((a, b) => a - b);
    const result: SyncCase = {
      conversations: Object.keys(positions).length,
      repetitions,
      samplesMs,
      firstCallMs: round(first.ms),
      latency: { min: sorted[0] ?? 0, p50: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), max: sorted.at(-1) ?? 0 },
      contentEncoding,
      wireBytes: first.res.body.length,
      decodedBytes: decoded.length,
      gzipBytes: zlib.gzipSync(decoded).length,
      events: Object.values(eventsByType).reduce((a, b) => a + b, 0),
      eventsByType,
      eventBytesByType,
      anomalies: anomalies.slice(0, 10),
      serverCpuMsPerCall,
    };
    return { result, response };
  } finally {
    agent.destroy();
  }
}

function describe(label: string, c: SyncCase): string {
  const l = c.latency;
  return `${label}: ${c.events} events, ${(c.wireBytes / 1024).toFixed(1)} KiB (${c.contentEncoding}; gzip would be ${(c.gzipBytes / 1024).toFixed(1)} KiB), min / p50 / p90 / max ${l.min} / ${l.p50} / ${l.p90} / ${l.max} ms, first call ${c.firstCallMs} ms, server CPU ${c.serverCpuMsPerCall} ms per call${c.anomalies.length > 0 ? `; anomalies: ${c.anomalies.join(', ')}` : ''}`;
}

export async function runSync(ctx: BenchContext, target: RunningTarget): Promise<SyncResult> {
  const conversations = ctx.quick ? 100 : 500;
  const repetitions = 20;
  const fixture = await prepareSync(ctx, target, conversations);
  ctx.log(`  setup took ${(fixture.setupMs / 1000).toFixed(1)} s`);
  const changed = await timeSync(target, fixture.reader, fixture.positions, repetitions);
  ctx.log(`  ${describe('10 changes each', changed.result)}`);
  // Nothing changed: the positions are the heads the changed case returned.
  const unchanged = await timeSync(target, fixture.reader, headsOf(changed.response), repetitions);
  ctx.log(`  ${describe('nothing changed', unchanged.result)}`);
  return {
    workload: 'sync',
    target: target.kind,
    conversations,
    changesPerConversation: CHANGES_PER_CONVERSATION,
    expectedEvents: conversations * CHANGES_PER_CONVERSATION,
    setupMs: fixture.setupMs,
    changed: changed.result,
    unchanged: unchanged.result,
  };
}
