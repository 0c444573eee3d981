/** CPU of the running system with no traffic at all (bench/system.bench.ts measures it; the profile prints it). */
export interface IdleCpu {
  readonly seconds: number;
  /** % of one core, per process (PostgreSQL: the postmaster and every backend). */
  readonly perProcessPercent: Record<string, number>;
  readonly totalPercent: number;
}

export function idleTable(idle: IdleCpu): string {
  return [
    `## Idle: ${idle.seconds} s with no traffic, after the preparation settled`,
    '',
    'What the system costs when nothing happens: polling and timers, not work (from /proc).',
    '',
    '| process | CPU % of a core |',
    '| --- | ---: |',
    ...Object.entries(idle.perProcessPercent).map(([name, percent]) => `| ${name} | ${percent} |`),
    `| **all of the system** | **${idle.totalPercent}** |`,
  ].join('\n');
}
