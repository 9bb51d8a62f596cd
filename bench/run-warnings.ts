/** What the results themselves say about their trustworthiness, as warnings for the report. */
import type { TargetKind } from './lib/targets.js';
import type { BenchReport } from './report.js';

/** Saturated generators, steps measured again after a stall, and change-feed, reactions, search, directory and upload answers that were off. */
export function resultWarnings(report: BenchReport, ordered: readonly TargetKind[], generatorCpuLimit: number): string[] {
  const warnings: string[] = [];
  const searches = [...Object.entries(report.messaging), ['history', report.history] as const];
  for (const [name, runs] of searches) {
    for (const side of ordered) {
      const saturated = (runs[side] ?? []).filter((r) => 'generatorSaturated' in r && r.generatorSaturated) as { maxGeneratorCpu: number }[];
      if (saturated.length > 0) {
        const max = Math.max(...saturated.map((r) => r.maxGeneratorCpu));
        warnings.push(`${name} / ${side}: the load generator exceeded ${generatorCpuLimit * 100}% of its core in ${saturated.length} of ${runs[side]?.length} runs (max ${Math.round(max * 100)}%); those figures are floors.`);
      }
    }
  }
  for (const [name, runs] of searches) {
    for (const side of ordered) {
      const repeated = (runs[side] ?? []).flatMap((r): { stalled: string | null }[] => ('stalledSteps' in r ? r.stalledSteps : []));
      if (repeated.length > 0) warnings.push(`${name} / ${side}: ${repeated.length} failed step(s) during a stall of the machine were measured again (${repeated[0]!.stalled}${repeated.length > 1 ? ', …' : ''}).`);
    }
  }
  const sync = report.sync.pneumatic;
  if (sync && 'changed' in sync) {
    if (sync.changed.events !== sync.expectedEvents) warnings.push(`sync: POST /sync returned ${sync.changed.events} events, not the ${sync.expectedEvents} made`);
    if (sync.unchanged.events !== 0) warnings.push(`sync: POST /sync at the current heads returned ${sync.unchanged.events} events, not 0`);
    for (const c of [sync.changed, sync.unchanged]) if (c.anomalies.length > 0) warnings.push(`sync: unexpected entries: ${c.anomalies.join(', ')}`);
  }
  const reactions = report.reactions?.pneumatic;
  if (reactions && 'acked' in reactions) {
    if (reactions.errors > 0) warnings.push(`reactions: ${reactions.errors} requests failed (${reactions.errorSamples[0] ?? ''})`);
    if (reactions.membersWithEveryChange !== reactions.connected) warnings.push(`reactions: ${reactions.connected - reactions.membersWithEveryChange} of ${reactions.connected} connected members missed a change or got one out of order (${reactions.deliveredFrames} of ${reactions.expectedFrames} frames)`);
    if (!reactions.finalCounts.matches) warnings.push(`reactions: the message's final counts ${JSON.stringify(reactions.finalCounts.actual)} differ from the expected ${JSON.stringify(reactions.finalCounts.expected)}`);
    if (reactions.runnerCpu > generatorCpuLimit) warnings.push(`reactions: the runner (reactors and sockets) used ${Math.round(reactions.runnerCpu * 100)}% of its core; the figure may be its limit rather than the server's.`);
  }
  const search = report.search?.pneumatic;
  if (search && 'cases' in search) {
    for (const c of search.cases) {
      const errors = c.rounds.reduce((n, r) => n + r.errors, 0);
      if (errors > 0) warnings.push(`search: ${c.name}, ${c.order}: ${errors} requests failed (${c.rounds.find((r) => r.errors > 0)?.errorSamples[0] ?? ''})`);
      if (!c.firstPage.matchesExpected) warnings.push(`search: ${c.name}, ${c.order}: the first page had ${c.firstPage.results} results${c.firstPage.nextCursor ? ' and a cursor' : ' and no cursor'} (status ${c.firstPage.status}), not what the searcher's ${c.expectedHits} hits call for`);
    }
  }
  warnings.push(...directoryWarnings(report), ...uploadWarnings(report, generatorCpuLimit), ...webhookWarnings(report, generatorCpuLimit));
  return warnings;
}

/** Directory queries whose answers were wrong (directory-probe.ts) or failed while timed. */
function directoryWarnings(report: BenchReport): string[] {
  const warnings: string[] = [];
  for (const [database, runs] of Object.entries(report.directory?.runs ?? {})) {
    for (const [visibility, run] of Object.entries(runs)) {
      if (!('checks' in run)) continue;
      for (const c of run.checks) if (c.problems.length > 0) warnings.push(`directory, ${database}, ${visibility}: \`${c.q}\` answered wrongly: ${c.problems.join('; ')}`);
      for (const phase of [run.sequential, run.concurrent]) {
        if (phase.errors > 0) warnings.push(`directory, ${database}, ${visibility}, ${phase.clients} client(s): ${phase.errors} requests failed (${phase.errorSamples[0] ?? ''})`);
      }
    }
  }
  return warnings;
}

/** Webhook deliveries that did not all arrive, came twice or out of order, and a sink that may have been the limit. */
function webhookWarnings(report: BenchReport, generatorCpuLimit: number): string[] {
  const warnings: string[] = [];
  for (const [kind, rounds] of Object.entries(report.webhookDeliveries ?? {})) {
    for (const [i, r] of rounds.entries()) {
      if (!('sink' in r)) continue;
      const where = `webhook deliveries / ${kind}, round ${i + 1}`;
      if (r.sendErrors > 0) warnings.push(`${where}: ${r.sendErrors} sends failed (${r.sendErrorSamples[0] ?? ''})`);
      if (r.sink.unique < r.sent) warnings.push(`${where}: ${r.sink.unique} of ${r.sent} events delivered before the receiver gave up waiting`);
      if (r.sink.outOfOrder > 0 || r.sink.repeats > 0) warnings.push(`${where}: ${r.sink.outOfOrder} deliveries out of order, ${r.sink.repeats} repeated webhook-ids`);
      if (r.runnerCpu > generatorCpuLimit) warnings.push(`${where}: the receiver used ${Math.round(r.runnerCpu * 100)}% of its core; the figure may be its limit.`);
    }
  }
  const sink = report.webhooks?.sink;
  if (sink && (sink.outOfOrder > 0 || sink.malformed > 0)) warnings.push(`--webhooks: the receiver got ${sink.outOfOrder} deliveries out of order and ${sink.malformed} malformed requests`);
  return warnings;
}

/** Uploads that failed or came back different, and phases where the runner may have been the limit. */
function uploadWarnings(report: BenchReport, generatorCpuLimit: number): string[] {
  const warnings: string[] = [];
  for (const [kind, rounds] of Object.entries(report.uploads ?? {})) {
    for (const [i, r] of rounds.entries()) {
      if (!('concurrency' in r)) continue;
      for (const c of r.concurrency) {
        const where = `uploads / ${kind}, round ${i + 1}, ${c.clients} × ${c.filesPerClient}`;
        if (c.server.errors > 0) warnings.push(`${where}: ${c.server.errors} uploads failed or came back different (${c.server.errorSamples[0] ?? ''})`);
        if (c.server.runnerCpu > generatorCpuLimit) warnings.push(`${where}: the upload clients used ${Math.round(c.server.runnerCpu * 100)}% of their core; the figure may be their limit.`);
        if (c.server.rssMaxGapMs > 100) warnings.push(`${where}: the RSS sampler went ${c.server.rssMaxGapMs} ms without a sample; the peak may be missed.`);
      }
    }
  }
  return warnings;
}
