import 'reflect-metadata';
import { SingleBar, Presets } from 'cli-progress';
import { ConfigError } from '@optstream/config';
import { createLogger } from '@optstream/observability';
import { dropVersion } from '@optstream/preferences-data-access';
import { loadProjectorConfig } from './config/projector-config';
import { openProjectorDatabase } from './projector-runtime';
import { rebuildProjection } from './rebuild/rebuild-projection';

/**
 * `rebuild [--drop-previous]`: replays the log into fresh tables under a new projection version and
 * swaps them in atomically (see rebuildProjection). Same configuration as the service. The previous
 * version is kept (instant rollback: point `preferences.projections` back at it) unless asked to drop.
 */
async function main(): Promise<void> {
  const config = loadProjectorConfig(process.env);
  const dropPrevious = process.argv.includes('--drop-previous');
  const log = createLogger('preference-projector-rebuild', config.LOG_LEVEL, process.stderr);
  const db = await openProjectorDatabase(config, 'preference-projector-rebuild', log);
  const bar = new SingleBar(
    {
      format: '{phase} [{bar}] {percentage}% | {value}/{total} records | {rate}/s | ETA {eta_formatted}',
      // In CI logs (no TTY) print a line every 2 s instead of nothing.
      noTTYOutput: true,
      notTTYSchedule: 2_000,
    },
    Presets.shades_classic,
  );
  let shown = false;
  const startedAt = Date.now();
  try {
    const result = await rebuildProjection(config, db, ({ phase, applied, total }) => {
      const rate = Math.round(applied / Math.max((Date.now() - startedAt) / 1000, 0.001));
      if (!shown) {
        bar.start(Math.max(total, 1), applied, { phase, rate });
        shown = true;
      }
      bar.setTotal(Math.max(total, applied, 1));
      bar.update(applied, { phase, rate });
    });
    if (shown) bar.stop();
    if (dropPrevious && result.previousVersion !== null) await dropVersion(db, result.previousVersion);
    process.stdout.write(
      `rebuilt ${result.projection}: version ${result.previousVersion ?? 'none'} -> ${result.version}, ` +
        `${result.records} records in ${result.seconds.toFixed(1)} s` +
        `${dropPrevious ? ' (previous version dropped)' : ''}\n`,
    );
  } finally {
    await db.destroy();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
