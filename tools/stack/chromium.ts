import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { StackError } from './errors';

/** Debian's chromium package: the real browser the analytics-next test drives (playwright-core). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

const APT_GET = '/usr/bin/apt-get';
const INSTALL_HINT = 'install Debian/Ubuntu\'s "chromium" package (sudo apt-get install -y chromium)';

/**
 * Installs Chromium once, like the Kafka jars: as root with apt-get available, `apt-get install
 * chromium` (waiting for another apt run's lock instead of failing); otherwise a clear error naming the
 * command to run. Returns the executable's path.
 */
export function ensureChromium(log: (line: string) => void): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  if (process.getuid?.() !== 0 || !existsSync(APT_GET)) {
    throw new StackError(
      'chromium',
      `${CHROMIUM_PATH} is missing and this user cannot install it; ${INSTALL_HINT}`,
    );
  }
  log('installing Debian chromium for the browser-library test (once)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  for (const args of [
    ['update', ...lock],
    ['install', '-y', '--no-install-recommends', ...lock, 'chromium'],
  ]) {
    const result = spawnSync(APT_GET, args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (result.error || result.status !== 0) {
      const tail = `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n').slice(-15).join('\n');
      const why = result.error?.message ?? `exit ${result.status ?? result.signal}`;
      throw new StackError('chromium', `apt-get ${args[0]} failed (${why}); ${INSTALL_HINT}`, tail);
    }
  }
  if (!existsSync(CHROMIUM_PATH))
    throw new StackError('chromium', `apt-get installed chromium but ${CHROMIUM_PATH} is missing`);
  return CHROMIUM_PATH;
}
