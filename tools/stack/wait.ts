/** Polls `probe` until it returns true or the deadline passes; returns the last error for the report. */
export async function waitUntil(
  probe: () => Promise<boolean>,
  {
    timeoutMs,
    intervalMs = 250,
    stillAlive,
  }: { timeoutMs: number; intervalMs?: number; stillAlive?: () => boolean },
): Promise<{ ok: true } | { ok: false; lastError: string }> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'timed out';
  for (;;) {
    try {
      if (await probe()) return { ok: true };
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    if (stillAlive && !stillAlive()) return { ok: false, lastError: `process exited (${lastError})` };
    if (Date.now() >= deadline)
      return { ok: false, lastError: `not ready after ${timeoutMs} ms: ${lastError}` };
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
