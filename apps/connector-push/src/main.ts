import 'reflect-metadata';
import { runService } from '@optstream/config';
import { startTracing } from '@optstream/observability';
import { startChannelConnector } from '@optstream/connector-runtime';

// The push connector: keeps the push platforms in sync with every channel's consent of each contact.
runService(async () => {
  const tracing = startTracing('connector-push');
  const connector = await startChannelConnector('push', process.env);
  return { log: connector.runtime.log, stop: () => connector.close().finally(() => tracing.shutdown()) };
});
