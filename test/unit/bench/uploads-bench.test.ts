// The uploads workload's parts that can be checked without a quiet machine: the form it sends
// is one well-formed `file` part, the baseline writes whole files, the RSS sampler sees a peak
// between two reads, and the table pairs server and baseline (and REF) by round.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rssOfAll, sampleRss } from '../../../bench/lib/rss-sampler.js';
import { renderUploads } from '../../../bench/report-uploads.js';
import type { BenchReport } from '../../../bench/report.js';
import { writeConcurrently } from '../../../bench/workloads/upload-baseline.js';
import { uploadPayload } from '../../../bench/workloads/upload-client.js';
import { uploadsOptions, type UploadsConcurrency, type UploadsResult } from '../../../bench/workloads/uploads.js';

const dir = mkdtempSync(join(tmpdir(), 'uploads-bench-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the uploads benchmark', () => {
  const payload = uploadPayload(300_000, 65536);

  it('sends a form whose only part is `file`, carrying exactly the file', async () => {
    // Parsed by another implementation than the server's (undici's, behind Response.formData).
    const form = await new Response(new Uint8Array(payload.body), { headers: { 'content-type': payload.contentType } }).formData();
    const names: string[] = [];
    form.forEach((_value, name) => names.push(name));
    expect(names).toEqual(['file']);
    const file = form.get('file') as File;
    expect(file.name).toBe('bench.bin');
    const bytes = Buffer.from(await file.arrayBuffer());
    expect(bytes.length).toBe(300_000);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(payload.sha256);
    expect(Buffer.concat(payload.chunks).equals(bytes)).toBe(true);
  });

  it('baseline: N writers × M files leave N × M whole files and no temporary file', async () => {
    const out = await writeConcurrently(join(dir, 'baseline'), 3, 2, payload.chunks);
    expect(out.files).toBe(6);
    expect(out.fileMs).toHaveLength(6);
    const files = readdirSync(join(dir, 'baseline', 'files'));
    expect(files).toHaveLength(6);
    for (const f of files) expect(createHash('sha256').update(readFileSync(join(dir, 'baseline', 'files', f))).digest('hex')).toBe(payload.sha256);
    expect(readdirSync(join(dir, 'baseline', 'tmp'))).toHaveLength(0);
  });

  it('RSS sampler: catches a peak that is gone by the time sampling stops', async () => {
    // A child that holds 150 MiB until told to let it go, and says when it holds and when it let
    // go: the test waits on what the child says, not on guesses of how fast a busy machine starts it.
    const script = [
      "let b = Buffer.alloc(150 * 2 ** 20, 1); process.stdout.write('held\\n');",
      "process.stdin.once('data', () => { b = null; globalThis.gc(); process.stdout.write('freed\\n'); });",
    ].join(' ');
    const child = spawn(process.execPath, ['--expose-gc', '-e', script], { stdio: ['pipe', 'pipe', 'ignore'] });
    const said = (word: string) => new Promise<void>((resolve) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => { out += chunk.toString(); if (out.includes(word)) resolve(); });
    });
    try {
      const held = said('held');
      const freed = said('freed');
      const stop = sampleRss(child.pid!, 20);
      await held;
      await new Promise((resolve) => setTimeout(resolve, 500));
      child.stdin!.write('go\n');
      await freed;
      // The buffer's memory goes back to the system soon after the collection, not at once.
      const deadline = Date.now() + 10_000;
      while (rssOfAll([child.pid!]) >= 100 * 2 ** 20 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      const peak = stop();
      // Gone by now: only the samples in between saw it.
      expect(rssOfAll([child.pid!])).toBeLessThan(100 * 2 ** 20);
      expect(peak.peakBytes).toBeGreaterThan(150 * 2 ** 20);
      expect(peak.samples).toBeGreaterThan(5);
    } finally {
      child.kill();
    }
  });
});

function concurrency(clients: number, server: number, baseline: number, rssMiB = 100): UploadsConcurrency {
  const phase = { files: 20, wallMs: 1000, fileMs: { p50: 50, max: 80 }, serverCpu: 0.9, serverSystemCpu: 0.2, serverMainThreadCpu: 0.5, runnerCpu: 0.05, machineCpu: 1, stealCpu: 0, otherCpu: 0.05 };
  return {
    clients, filesPerClient: clients === 1 ? 20 : 5, serverFirst: true,
    server: { ...phase, mibPerSecond: server, errors: 0, errorSamples: [], rssBeforeBytes: rssMiB * 2 ** 20, peakRssBytes: (rssMiB + 20) * 2 ** 20, rssSamples: 50, rssMaxGapMs: 22 },
    baseline: { ...phase, mibPerSecond: baseline },
    ratio: server / baseline,
  };
}

function result(target: 'pneumatic' | 'ref', one: [number, number], eight: [number, number]): UploadsResult {
  return { workload: 'uploads', target, options: uploadsOptions(), filesystem: 'ext4 on /dev/vda', loadAverage: 0.5, restingRssBytes: 90 * 2 ** 20, concurrency: [concurrency(1, ...one), concurrency(8, ...eight)] };
}

function report(uploads: BenchReport['uploads'], compare: boolean): BenchReport {
  return {
    date: '', machine: { cores: 2, cpuModel: 'test', memoryGiB: 1 }, node: 'v20',
    options: { db: 'sqlite', workers: null, quick: false, workloads: ['uploads'], targets: compare ? ['pneumatic', 'ref'] : ['pneumatic'], repeat: 3 },
    ...(compare ? { compare: { ref: 'main', commit: 'abcdef0', label: 'abcdef0 “before”' } } : {}),
    pinning: 'none', pneumaticStatus: 'ok', messaging: {}, idle: {}, history: {}, sync: {}, growth: {}, comparisons: {}, warnings: [], wallSeconds: 1, buildSeconds: 0,
    uploads,
  };
}

describe('the uploads table', () => {
  // Round 2 stalled: both sides low, their ratio the same as round 1's.
  const ours = [result('pneumatic', [300, 500], [400, 500]), result('pneumatic', [150, 250], [300, 1000]), result('pneumatic', [400, 500], [500, 1000])];

  it('gives median (min–max) per concurrency, and the ratio as the median of each round\'s, against 0.7×', () => {
    const rows = renderUploads(report({ pneumatic: ours }, false)).filter((l) => l.startsWith('| '));
    expect(rows[0]).toBe('| Uploads: 10 MiB files of random bytes, ext4 on /dev/vda | 1 client × 20 files | 8 clients × 5 files |');
    expect(rows.find((r) => r.includes('upload throughput'))).toBe('| Pneumatic: upload throughput (MiB/s) | 300 (150–400) | 400 (300–500) |');
    // Ratios 0.6, 0.6, 0.8 and 0.8, 0.3, 0.5: the medians, not 300 / 500 or 400 / 1000.
    expect(rows.find((r) => r.includes('/ baseline'))).toBe('| Pneumatic / baseline (target ≥ 0.7×) | 0.60× (0.60–0.80) ✗ | 0.50× (0.30–0.80) ✗ |');
    expect(rows.find((r) => r.includes('RSS peak'))).toBe('| server RSS peak during the phase (MiB) | 120 (120–120) | 120 (120–120) |');
  });

  it('with --compare, adds REF\'s rows and this build / REF paired by round', () => {
    const ref = [result('ref', [200, 500], [400, 500]), result('ref', [150, 250], [200, 1000]), result('ref', [500, 500], [1000, 1000])];
    const rows = renderUploads(report({ pneumatic: ours, ref }, true)).filter((l) => l.startsWith('| '));
    expect(rows.find((r) => r.startsWith('| Pneumatic at abcdef0: upload throughput'))).toBe('| Pneumatic at abcdef0: upload throughput (MiB/s) | 200 (150–500) | 400 (200–1,000) |');
    // 300/200, 150/150, 400/500 and 400/400, 300/200, 500/1000.
    expect(rows.find((r) => r.startsWith('| this build / REF'))).toBe('| this build / REF, upload throughput (paired by round) | 1.0× (0.80–1.5) | 1.0× (0.50–1.5) |');
  });

  it('says why when every round failed', () => {
    expect(renderUploads(report({ pneumatic: [{ error: 'the warm-up uploads failed: 404' }] }, false))).toEqual(['', 'Uploads (POST /uploads): failed: the warm-up uploads failed: 404']);
  });
});
