import 'reflect-metadata';
import { runService } from '@optstream/config';
import { startTracing } from '@optstream/observability';
import { loadProjectorConfig } from './config/projector-config';
import { startProjector } from './create-projector';

runService(async () => {
  const tracing = startTracing('preference-projector');
  const projector = await startProjector(loadProjectorConfig(process.env));
  return { log: projector.runtime.log, stop: () => projector.close().finally(() => tracing.shutdown()) };
});
