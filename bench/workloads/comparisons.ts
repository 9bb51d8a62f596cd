/**
 * Pneumatic against itself, on the small-group workload, in the same run as the main table:
 * PostgreSQL against SQLite (pinned like the main table), and N worker processes with Redis
 * against one (unpinned: server processes, generator, Redis and the database share every core).
 */
import { GeneratorClient } from '../lib/generator-client.js';
import { startTarget, type TargetOptions } from '../lib/targets.js';
import type { BenchContext } from './context.js';
import { runMessaging, type MessagingResult } from './messaging.js';
import { smallGroups } from './topologies.js';

export type Measurement = MessagingResult | { error: string };

export interface DatabaseComparison {
  sqlite?: Measurement;
  postgres?: Measurement;
}

export interface WorkerComparison {
  workers: number;
  /** One worker process with Redis, as the N-worker server runs (same code path, same costs). */
  one?: Measurement;
  many?: Measurement;
}

async function measure(ctx: BenchContext, options: TargetOptions, budgetMs: number, label: string): Promise<Measurement> {
  ctx.log(`${label}`);
  let target;
  try {
    target = await startTarget('pneumatic', options);
    if (!target.workersSupported) throw new Error(`the server ran ${target.processes} process(es), not ${options.workers}`);
    return await runMessaging(ctx, target, smallGroups(ctx.quick), budgetMs);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    ctx.log(`  failed: ${message.split('\n')[0]}`);
    await ctx.generator.send({ cmd: 'close' }).catch(() => undefined);
    return { error: message.slice(0, 2000) };
  } finally {
    await target?.stop();
  }
}

/** Measures small groups on `missing` databases (the main table's figure stands for the other). */
export async function compareDatabases(ctx: BenchContext, missing: ('sqlite' | 'postgres')[], budget: () => number): Promise<DatabaseComparison> {
  const result: DatabaseComparison = {};
  for (const db of missing) {
    result[db] = await measure(ctx, { ...ctx.targetOptions, db, workers: null }, budget(), `Small groups on ${db === 'sqlite' ? 'SQLite' : 'PostgreSQL'}: pneumatic`);
  }
  return result;
}

/** 1 and N workers with Redis, nothing pinned (a fresh unpinned generator), on the run's database. */
export async function compareWorkers(ctx: BenchContext, workers: number, budget: () => number, root: string): Promise<WorkerComparison> {
  const generator = GeneratorClient.start(null, root, ctx.targetOptions.nice);
  const unpinned: BenchContext = { ...ctx, generator };
  const result: WorkerComparison = { workers };
  try {
    for (const [key, count] of [['one', 1], ['many', workers]] as const) {
      result[key] = await measure(unpinned, { ...ctx.targetOptions, core: null, workers: count }, budget(), `Small groups, ${count} worker(s) with Redis, unpinned: pneumatic`);
    }
  } finally {
    await generator.stop();
  }
  return result;
}
