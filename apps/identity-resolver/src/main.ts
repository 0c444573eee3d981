import { runService } from '@optstream/config';
import { loadResolverConfig } from './config/resolver-config';
import { startResolver } from './resolver-runtime';

runService(async () => {
  const resolver = await startResolver(loadResolverConfig(process.env));
  return { log: resolver.log, stop: () => resolver.stop() };
});
