import { cpus, totalmem, release } from 'node:os';

/** The machine a result was measured on; every result file carries it. */
export function describeMachine(): Record<string, string | number> {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    kernel: release(),
    node: process.version,
  };
}
