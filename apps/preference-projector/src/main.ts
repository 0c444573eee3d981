import 'reflect-metadata';
import { runService } from '@optstream/config';
import { loadProjectorConfig } from './config/projector-config';
import { startProjector } from './create-projector';

runService(async () => {
  const projector = await startProjector(loadProjectorConfig(process.env));
  return { log: projector.runtime.log, stop: () => projector.close() };
});
