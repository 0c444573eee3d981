import { runService } from '@optstream/config';
import { startTracing } from '@optstream/observability';
import { loadResolverConfig } from './config/resolver-config';
import { startResolver } from './resolver-runtime';

runService(async () => {
  const tracing = startTracing('identity-resolver');
  const resolver = await startResolver(loadResolverConfig(process.env));
  return { log: resolver.log, stop: () => resolver.stop().finally(() => tracing.shutdown()) };
});
