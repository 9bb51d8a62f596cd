/** The growth workload's table for latest.md: one column per stage (messages stored). */
import type { GrowthResult } from './workloads/growth.js';

export function renderGrowth(result: GrowthResult | { error: string } | undefined): string[] {
  if (!result) return [];
  if ('error' in result && result.error !== undefined) return ['', `Growth: failed: ${result.error.split('\n')[0]?.slice(0, 200)}`];
  const r = result as GrowthResult;
  const stages = r.stages;
  const head = stages.map((s) => `${s.storedMessages.toLocaleString('en')} stored`);
  const row = (title: string, cell: (s: (typeof stages)[number]) => string) => `| ${title} | ${stages.map(cell).join(' | ')} |`;
  const pair = (l: { p50: number; p99: number }) => `${l.p50} / ${l.p99}`;
  return [
    '',
    `| Growth (Pneumatic; p50 / p99 ms, sequential calls) | ${head.join(' | ')} |`,
    `|---|${stages.map(() => '---:').join('|')}|`,
    row(`send (${r.options.samples} POST …/messages)`, (s) => pair(s.send)),
    row(`history (${r.options.samples} GET …/messages?before=random)`, (s) => pair(s.history)),
    row(`conversation list page (user in ${r.options.listConversations.toLocaleString('en')}, 50 a page)`, (s) => pair(s.listPage)),
    row('conversation list first page', (s) => pair(s.listFirstPage)),
    row('conversation list full pass (ms, each pass)', (s) => s.listPassMs.join(', ')),
    row(`POST /sync, ${(r.options.syncConversations * r.options.syncEventsPerConversation).toLocaleString('en')} missed events`, (s) => pair(s.sync)),
    row('seeding (s)', (s) => String(s.seedSeconds)),
  ];
}
