import type { Socket } from 'node:net';

/** How long a `timeout` fault holds a request before dropping it: longer than any sane client timeout. */
export const HOLD_MS = 60_000;

/**
 * Requests the simulator deliberately does not answer (`timeout`) and delays (`slow`). Closing the
 * simulators ends all of them at once, so `close()` never waits a minute for a held request.
 */
export class HeldRequests {
  private readonly sockets = new Map<Socket, NodeJS.Timeout>();
  private readonly sleepers = new Set<() => void>();

  hold(socket: Socket): void {
    const timer = setTimeout(() => this.drop(socket), HOLD_MS);
    this.sockets.set(socket, timer);
    socket.once('close', () => this.forget(socket));
  }

  /** Resolves after `ms`, or at once when the simulators close. */
  delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  releaseAll(): void {
    for (const socket of [...this.sockets.keys()]) this.drop(socket);
    for (const wake of [...this.sleepers]) wake();
  }

  private drop(socket: Socket): void {
    this.forget(socket);
    socket.destroy();
  }

  private forget(socket: Socket): void {
    const timer = this.sockets.get(socket);
    if (timer !== undefined) clearTimeout(timer);
    this.sockets.delete(socket);
  }
}
