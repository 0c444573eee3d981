import { StackError } from './errors';
import { loadStackSettings } from './settings';
import { down, reset, status, up } from './stack';

const usage = 'usage: stack <up|status|down|reset>';

async function main(command: string | undefined): Promise<number> {
  const settings = loadStackSettings();
  const log = (line: string) => console.log(`stack: ${line}`);
  switch (command) {
    case 'up': {
      const started = Date.now();
      const e = await up(settings, log);
      log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      log(`kafka            ${e.kafkaBrokers}`);
      log(`schema registry  ${e.registryUrl}`);
      log(`postgres         ${e.databaseUrl.replace(/:[^:@/]*@/, ':***@')}`);
      log(`logs             ${settings.logDir}`);
      return 0;
    }
    case 'status': {
      const components = await status(settings);
      for (const c of components) {
        const state = c.ready ? 'ready' : c.pid !== undefined ? 'running, not ready' : 'stopped';
        console.log(
          `${c.name.padEnd(16)} ${state.padEnd(20)} ${c.pid !== undefined ? `pid ${c.pid}`.padEnd(12) : ''.padEnd(12)} ${c.detail}`,
        );
      }
      // 0: all ready, 3: something is down (like `systemctl status`), so scripts can branch on it.
      return components.every((c) => c.ready) ? 0 : 3;
    }
    case 'down':
      await down(settings, log);
      log('down');
      return 0;
    case 'reset':
      await reset(settings, log);
      return 0;
    default:
      console.error(usage);
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof StackError ? error.describe() : error);
    process.exit(1);
  },
);
