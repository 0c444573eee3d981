import 'reflect-metadata';
import { runService } from '@optstream/config';
import { startTracing } from '@optstream/observability';
import { startChannelConnector } from '@optstream/connector-runtime';

// The sms connector: keeps the sms platforms in sync with every channel's consent of each contact.
runService(async () => {
  const tracing = startTracing('connector-sms');
  const connector = await startChannelConnector('sms', process.env);
  return { log: connector.runtime.log, stop: () => connector.close().finally(() => tracing.shutdown()) };
});
