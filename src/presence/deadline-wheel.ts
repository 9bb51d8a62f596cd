/**
 * Deadlines for many keys on one timer: keys wait in buckets of `tickMs`, and each tick hands
 * on the keys whose bucket has passed. A timer per user would cost memory on every connected
 * user; this costs a set entry while a deadline is pending, and a deadline fires at most one
 * tick late. A key scheduled twice may fire twice: callers check what is due when called.
 */
export class DeadlineWheel {
  private readonly buckets = new Map<number, Set<string>>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly tickMs: number,
    private readonly onDue: (key: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  schedule(key: string, at: number): void {
    const bucket = Math.ceil(at / this.tickMs);
    const keys = this.buckets.get(bucket);
    if (keys) keys.add(key);
    else this.buckets.set(bucket, new Set([key]));
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.buckets.clear();
  }

  private tick(): void {
    const current = Math.floor(this.now() / this.tickMs);
    const due: string[] = [];
    for (const [bucket, keys] of this.buckets) {
      if (bucket > current) continue;
      this.buckets.delete(bucket);
      due.push(...keys);
    }
    if (this.buckets.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
    for (const key of due) this.onDue(key);
  }
}
