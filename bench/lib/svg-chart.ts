/**
 * A small line chart as standalone SVG text, logarithmic on both axes: enough for "latency
 * against send rate" without a charting dependency. GitHub renders such a file inline in
 * markdown (`![](chart.svg)`), so it needs no scripts, no external fonts and no CSS files.
 */

export interface Series {
  name: string;
  color: string;
  /** Dashed line (e.g. the p50 beside a solid p99). */
  dashed?: boolean;
  /** [x, y], both > 0; drawn in x order. */
  points: [number, number][];
}

export interface ChartSpec {
  title: string;
  subtitle?: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** Horizontal reference lines, e.g. a latency limit. */
  references?: { y: number; label: string }[];
  width?: number;
  height?: number;
}

const MARGIN = { left: 64, right: 16, top: 48, bottom: 92 };

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Powers of ten and their 2× and 5× between lo and hi: the ticks of a log axis. */
function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo * 0.999 && v <= hi * 1.001) ticks.push(v);
    }
  }
  return ticks;
}

function label(v: number): string {
  if (v >= 1000) return `${v / 1000}k`;
  return String(Number(v.toPrecision(3)));
}

/** The decade-aligned range around the values, so ticks land on the edges. */
function range(values: number[]): [number, number] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return [10 ** Math.floor(Math.log10(lo)), 10 ** Math.ceil(Math.log10(hi * 1.0001))];
}

export function renderChart(spec: ChartSpec): string {
  const width = spec.width ?? 640;
  const height = spec.height ?? 420;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const all = spec.series.flatMap((s) => s.points).filter(([x, y]) => x > 0 && y > 0);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${escape(spec.title)}</text>`,
  ];
  if (spec.subtitle) out.push(`<text x="${width / 2}" y="37" text-anchor="middle" fill="#555">${escape(spec.subtitle)}</text>`);
  if (all.length === 0) {
    out.push(`<text x="${width / 2}" y="${height / 2}" text-anchor="middle" fill="#666">no measurements</text>`, '</svg>');
    return `${out.join('\n')}\n`;
  }
  const [x0, x1] = range(all.map(([x]) => x));
  const [y0, y1] = range([...all.map(([, y]) => y), ...(spec.references ?? []).map((r) => r.y)]);
  const px = (x: number) => MARGIN.left + ((Math.log10(x) - Math.log10(x0)) / (Math.log10(x1) - Math.log10(x0))) * plotW;
  const py = (y: number) => MARGIN.top + plotH - ((Math.log10(y) - Math.log10(y0)) / (Math.log10(y1) - Math.log10(y0))) * plotH;
  const f = (n: number) => n.toFixed(1);

  // Grid and ticks.
  for (const t of logTicks(x0, x1)) {
    out.push(`<line x1="${f(px(t))}" y1="${MARGIN.top}" x2="${f(px(t))}" y2="${MARGIN.top + plotH}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${f(px(t))}" y="${MARGIN.top + plotH + 16}" text-anchor="middle" fill="#333">${label(t)}</text>`);
  }
  for (const t of logTicks(y0, y1)) {
    out.push(`<line x1="${MARGIN.left}" y1="${f(py(t))}" x2="${MARGIN.left + plotW}" y2="${f(py(t))}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${MARGIN.left - 6}" y="${f(py(t) + 4)}" text-anchor="end" fill="#333">${label(t)}</text>`);
  }
  out.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`);
  out.push(`<text x="${MARGIN.left + plotW / 2}" y="${MARGIN.top + plotH + 36}" text-anchor="middle">${escape(spec.xLabel)}</text>`);
  out.push(`<text transform="translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escape(spec.yLabel)}</text>`);
  for (const r of spec.references ?? []) {
    out.push(`<line x1="${MARGIN.left}" y1="${f(py(r.y))}" x2="${MARGIN.left + plotW}" y2="${f(py(r.y))}" stroke="#c00" stroke-dasharray="2 3"/>`);
    out.push(`<text x="${MARGIN.left + plotW - 4}" y="${f(py(r.y) - 4)}" text-anchor="end" fill="#c00">${escape(r.label)}</text>`);
  }

  // Series: a line through the points in x order, and a dot per point.
  for (const s of spec.series) {
    const points = s.points.filter(([x, y]) => x > 0 && y > 0).sort((a, b) => a[0] - b[0]);
    if (points.length === 0) continue;
    const path = points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${f(px(x))} ${f(py(y))}`).join(' ');
    out.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    for (const [x, y] of points) out.push(`<circle cx="${f(px(x))}" cy="${f(py(y))}" r="3" fill="${s.dashed ? '#ffffff' : s.color}" stroke="${s.color}" stroke-width="1.5"/>`);
  }

  // Legend under the plot, in columns.
  const columns = 3;
  const columnWidth = plotW / columns;
  spec.series.forEach((s, i) => {
    const x = MARGIN.left + (i % columns) * columnWidth;
    const y = MARGIN.top + plotH + 56 + Math.floor(i / columns) * 18;
    out.push(`<line x1="${f(x)}" y1="${y - 4}" x2="${f(x + 24)}" y2="${y - 4}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    out.push(`<text x="${f(x + 30)}" y="${y}">${escape(s.name)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
