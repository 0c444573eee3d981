import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Summarises the `.cpuprofile` files that `--cpu-prof` writes (one per Node.js process) into Markdown: per
 * service, where its CPU went by package (our code, a dependency, Node.js internals, GC/idle) and its
 * hottest functions by self time. Usage: `tsx bench/profile/summarize-cpu.ts <dir>` (docs/benchmarks.md).
 */
interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

const ROOT_MARKER = '/work/';

/** Which service a profile belongs to: the `apps/<name>/src/main.ts` among its frames. */
function serviceOf(profile: CpuProfile, file: string): string {
  for (const node of profile.nodes) {
    const match = /apps\/([a-z-]+)\/src\/main\.ts$/.exec(node.callFrame.url);
    if (match?.[1]) return match[1];
  }
  return file;
}

/** The bucket a frame's time is charged to: a dependency's package, one of our libs/apps, or Node. */
function packageOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency?.[1]) return dependency[1];
  const ours = /\/((?:apps|libs)\/[^/]+(?:\/[^/]+)?)\/src\//.exec(url);
  if (ours?.[1]) return ours[1];
  if (url.startsWith('node:')) return 'node internals';
  return url.replace(ROOT_MARKER, '');
}

function selfTimes(profile: CpuProfile): Map<number, number> {
  const micros = new Map<number, number>();
  profile.samples.forEach((id, i) => micros.set(id, (micros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  return micros;
}

function table(rows: readonly (readonly string[])[], header: readonly string[]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function summarise(file: string, profile: CpuProfile, top: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = selfTimes(profile);
  const wallMs = (profile.endTime - profile.startTime) / 1000;
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busy = 0;
  for (const [id, micros] of self) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const pkg = packageOf(frame);
    if (pkg === '(idle)') continue;
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + micros);
    busy += micros;
    const where =
      frame.url === ''
        ? ''
        : ` ${frame.url.replace(/^.*?((?:apps|libs|node_modules)\/)/, '$1')}:${frame.lineNumber + 1}`;
    const key = `\`${frame.functionName || '(anonymous)'}\`${where}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
  }
  const share = (micros: number) => `${((micros / busy) * 100).toFixed(1)} %`;
  const ms = (micros: number) => (micros / 1000).toFixed(0);
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [
    `### ${serviceOf(profile, file)}`,
    '',
    `Profiled ${(wallMs / 1000).toFixed(0)} s; not idle ${ms(busy)} ms (${((busy / 1000 / wallMs) * 100).toFixed(1)} % of the time; sampled wall time, so it includes waiting for a core on a busy machine).`,
    '',
    table(
      sorted(byPackage).map(([k, v]) => [k, ms(v), share(v)]),
      ['where (self time)', 'ms', 'share of busy'],
    ),
    '',
    table(
      sorted(byFunction).map(([k, v]) => [k, ms(v), share(v)]),
      ['hottest functions (self time)', 'ms', 'share of busy'],
    ),
    '',
  ].join('\n');
}

/** Every profile in a directory, summarised: one section per service. */
export function summariseDirectory(dir: string, top: number): string {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort()
    .map((file) => summarise(file, JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile, top))
    .join('\n');
}

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: summarize-cpu.ts <directory of .cpuprofile files> [top=12]');
    process.exit(2);
  }
  console.log(summariseDirectory(dir, Number(process.argv[3] ?? 12)));
}
