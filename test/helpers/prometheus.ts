/** Reads a server's /metrics (Prometheus text format) into numbers, for memory and load figures. */

export type Samples = Map<string, number>;

/** Every unlabelled sample of GET /metrics, by metric name. */
export async function scrape(url: string): Promise<Samples> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const samples: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.includes('{')) continue;
    const [name, value] = line.trim().split(/\s+/);
    if (name && value !== undefined) samples.set(name, Number(value));
  }
  return samples;
}

/** The samples of one labelled metric, by their label set as written (`reason="disk_full"`). */
export async function scrapeLabelled(url: string, name: string): Promise<Samples> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const samples: Samples = new Map();
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)\{(.*)\} (\S+)$/.exec(line.trim());
    if (match && match[1] === name) samples.set(match[2]!, Number(match[3]));
  }
  return samples;
}

/** The process figures a soak or flood test compares before and after. */
export interface ProcessFigures {
  rssBytes: number;
  heapUsedBytes: number;
  externalBytes: number;
  openFds: number;
  eventLoopP99Seconds: number;
  connections: number;
}

export async function processFigures(url: string): Promise<ProcessFigures> {
  const s = await scrape(url);
  const get = (name: string) => s.get(name) ?? Number.NaN;
  return {
    rssBytes: get('pneumatic_process_resident_memory_bytes'),
    heapUsedBytes: get('pneumatic_nodejs_heap_size_used_bytes'),
    externalBytes: get('pneumatic_nodejs_external_memory_bytes'),
    openFds: get('pneumatic_process_open_fds'),
    eventLoopP99Seconds: get('pneumatic_nodejs_eventloop_lag_p99_seconds'),
    connections: get('pneumatic_ws_connections'),
  };
}

export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

export function describeFigures(f: ProcessFigures): string {
  return `rss ${mib(f.rssBytes)}, heap used ${mib(f.heapUsedBytes)}, external ${mib(f.externalBytes)}, fds ${f.openFds}, event-loop p99 ${(f.eventLoopP99Seconds * 1000).toFixed(1)} ms, sockets ${f.connections}`;
}

/** One sample of GET /metrics, labels included as printed (`name{reason="aborted"}`); 0 when absent, as a counter not yet counted. */
export async function sample(url: string, series: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}
