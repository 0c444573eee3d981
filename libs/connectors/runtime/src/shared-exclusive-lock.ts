/**
 * Many shared holders or one exclusive holder at a time, first come first served: a waiting exclusive
 * holder lets no later shared holder overtake it, so neither side starves.
 *
 * The connector holds it shared for each partition's batch (partitions carry disjoint contacts, so their
 * batches may run side by side) and exclusively for the parked-retry pass, whose contacts may be in any
 * partition: a parked older state then never races a newer one to the same provider.
 */
export class SharedExclusiveLock {
  private sharedHolders = 0;
  private exclusiveHeld = false;
  private readonly waiting: { readonly exclusive: boolean; readonly start: () => void }[] = [];

  shared<T>(work: () => Promise<T>): Promise<T> {
    return this.run(false, work);
  }

  exclusive<T>(work: () => Promise<T>): Promise<T> {
    return this.run(true, work);
  }

  private async run<T>(exclusive: boolean, work: () => Promise<T>): Promise<T> {
    await this.acquire(exclusive);
    try {
      return await work();
    } finally {
      if (exclusive) this.exclusiveHeld = false;
      else this.sharedHolders -= 1;
      this.startWaiting();
    }
  }

  private acquire(exclusive: boolean): Promise<void> {
    if (this.waiting.length === 0 && this.canStart(exclusive)) {
      this.take(exclusive);
      return Promise.resolve();
    }
    return new Promise((start) => this.waiting.push({ exclusive, start }));
  }

  private canStart(exclusive: boolean): boolean {
    return !this.exclusiveHeld && (!exclusive || this.sharedHolders === 0);
  }

  private take(exclusive: boolean): void {
    if (exclusive) this.exclusiveHeld = true;
    else this.sharedHolders += 1;
  }

  private startWaiting(): void {
    for (let next = this.waiting[0]; next && this.canStart(next.exclusive); next = this.waiting[0]) {
      this.waiting.shift();
      this.take(next.exclusive);
      next.start();
    }
  }
}
