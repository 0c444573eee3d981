const WINDOW_MS = 1000;

/** The largest number of arrivals seen in any sliding 1-second window (inclusive of its end). */
export class RateWindow {
  private arrivals: number[] = [];
  private max = 0;

  observe(now: number): void {
    this.arrivals.push(now);
    while (this.arrivals.length > 0 && (this.arrivals[0] ?? now) <= now - WINDOW_MS) this.arrivals.shift();
    this.max = Math.max(this.max, this.arrivals.length);
  }

  maxPerSecond(): number {
    return this.max;
  }

  reset(): void {
    this.arrivals = [];
    this.max = 0;
  }
}
