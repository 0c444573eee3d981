/**
 * Runs async tasks one at a time in call order. Appends go through one so each append's records stay
 * contiguous and in order; drains go through another so two drains never publish the same batch.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    // The next task waits for this one to settle, whether it succeeded or not.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
