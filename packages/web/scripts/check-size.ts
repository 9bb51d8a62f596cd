/**
 * The first-load JavaScript budget: the entry chunk of index.html and every chunk it imports
 * statically (dynamic imports load later), gzipped. Run after `vite build` (the Vite config runs
 * it too) or alone: `tsx packages/web/scripts/check-size.ts [distDir]`. Exits 1 above budget.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const BUDGET_BYTES = 100 * 1024;

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
}

export interface SizeReport {
  files: Array<{ file: string; bytes: number; gzipBytes: number }>;
  totalGzipBytes: number;
  cssGzipBytes: number;
  withinBudget: boolean;
}

/** Measures the JS a browser must fetch before the app starts (from Vite's manifest). */
export function measureFirstLoad(distDir: string): SizeReport {
  const manifest = JSON.parse(readFileSync(join(distDir, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const seen = new Set<string>();
  const css = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || seen.has(key)) return;
    seen.add(key);
    for (const file of chunk.css ?? []) css.add(file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  const files = [...seen]
    .map((key) => manifest[key]!.file)
    .filter((file) => file.endsWith('.js'))
    .map((file) => {
      const content = readFileSync(join(distDir, file));
      return { file, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
    });
  const totalGzipBytes = files.reduce((sum, f) => sum + f.gzipBytes, 0);
  const cssGzipBytes = [...css].reduce((sum, file) => sum + gzipSync(readFileSync(join(distDir, file)), { level: 9 }).length, 0);
  return { files, totalGzipBytes, cssGzipBytes, withinBudget: totalGzipBytes <= BUDGET_BYTES };
}

/** One line per file and a total, e.g. for the build log. */
export function formatReport(report: SizeReport): string {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const lines = report.files.map((f) => `  ${f.file}  ${kb(f.bytes)} raw, ${kb(f.gzipBytes)} gzip`);
  lines.push(`First-load JavaScript: ${kb(report.totalGzipBytes)} gzipped (budget ${kb(BUDGET_BYTES)}); CSS ${kb(report.cssGzipBytes)} gzipped`);
  if (!report.withinBudget) lines.push(`Over budget by ${kb(report.totalGzipBytes - BUDGET_BYTES)}.`);
  return lines.join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const distDir = resolve(process.argv[2] ?? join(fileURLToPath(new URL('.', import.meta.url)), '..', 'dist'));
  const report = measureFirstLoad(distDir);
  console.warn(formatReport(report));
  if (!report.withinBudget) process.exit(1);
}
