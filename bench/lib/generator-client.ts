/** The runner's handle on a load generator process: sends commands, awaits the matching answers. */
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { GeneratorCommand, GeneratorResponse } from './protocol.js';
import { spawnPinned, stopChild, treeCpuSeconds } from './processes.js';

const GENERATOR = fileURLToPath(new URL('../load-generator.ts', import.meta.url));

export class GeneratorClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private exited = false;

  private constructor(readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let response: GeneratorResponse;
      try {
        response = JSON.parse(line) as GeneratorResponse;
      } catch {
        process.stderr.write(`[generator] ${line}\n`);
        return;
      }
      const waiter = this.pending.get(response.id);
      if (!waiter) return;
      this.pending.delete(response.id);
      if (response.ok) waiter.resolve(response.result);
      else waiter.reject(new Error(`generator: ${response.error}`));
    });
    child.once('exit', (code) => {
      this.exited = true;
      for (const waiter of this.pending.values()) waiter.reject(new Error(`load generator exited with ${code}`));
      this.pending.clear();
    });
    // A generator that died while the runner was busy (seeding runs synchronously) is found on
    // the next write: its EPIPE fails the commands waiting, not the whole run.
    child.stdin!.on('error', (error) => {
      this.exited = true;
      for (const waiter of this.pending.values()) waiter.reject(new Error(`load generator is gone: ${error.message}`));
      this.pending.clear();
    });
  }

  static start(core: number | null, cwd: string, nice: number | null = null): GeneratorClient {
    const child = spawnPinned([process.execPath, '--import', 'tsx', GENERATOR], { core, nice, cwd, env: {}, stdio: 'inherit-stderr' });
    return new GeneratorClient(child);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  cpuSeconds(): number {
    return treeCpuSeconds(this.pid);
  }

  send<T>(command: GeneratorCommand): Promise<T> {
    if (this.exited) return Promise.reject(new Error('load generator is not running'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.stdin!.write(`${JSON.stringify({ ...command, id })}\n`);
    });
  }

  async stop(): Promise<void> {
    this.child.stdin?.end();
    await stopChild(this.child, 3000);
  }
}
