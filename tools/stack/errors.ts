/** An error the stack CLI prints as one readable block: which component, why, and its log tail. */
export class StackError extends Error {
  constructor(
    readonly component: string,
    readonly reason: string,
    readonly logTail?: string,
  ) {
    super(`[${component}] ${reason}`);
    this.name = 'StackError';
  }

  describe(): string {
    const tail = this.logTail ? `\n--- last lines of the ${this.component} log ---\n${this.logTail}` : '';
    return `stack: ${this.component} failed: ${this.reason}${tail}`;
  }
}

export const DOCKER_ALTERNATIVE = 'or, with Docker, run `docker compose up -d` instead of the local stack';
