/**
 * Runs tasks of the same key one after another, each starting at least `intervalMs` after the previous
 * one FINISHED (OneSignal: 1 write/s per user). Measuring from completion, not from sending, keeps the
 * spacing even at the provider, whose clock starts when the request arrives.
 */
export class KeySpacer {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly lastDone = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {}

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    if (this.intervalMs <= 0) return task();
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(() => this.spaced(key, task));
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    this.forgetPast();
    return current;
  }

  /** Keys whose last completion still constrains the next task (for tests and metrics). */
  get remembered(): number {
    return this.lastDone.size;
  }

  /**
   * Completions older than the interval constrain nothing; dropping them bounds the map. The map is in
   * completion order (each completion re-inserts its key), so the stale ones are at its front and the
   * scan stops at the first recent one: amortized O(1) per task, however many keys are live.
   */
  private forgetPast(): void {
    const now = this.now();
    for (const [key, done] of this.lastDone) {
      if (now - done < this.intervalMs) break;
      this.lastDone.delete(key);
    }
  }

  private async spaced<T>(key: string, task: () => Promise<T>): Promise<T> {
    const done = this.lastDone.get(key);
    if (done !== undefined) await this.sleep(done + this.intervalMs - this.now());
    try {
      return await task();
    } finally {
      this.lastDone.delete(key);
      this.lastDone.set(key, this.now());
    }
  }
}
