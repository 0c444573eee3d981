import 'reflect-metadata';
import { runService } from '@optstream/config';
import { startTracing } from '@optstream/observability';
import { startChannelConnector } from '@optstream/connector-runtime';

// The email connector: keeps the email platforms in sync with every channel's consent of each contact.
runService(async () => {
  const tracing = startTracing('connector-email');
  const connector = await startChannelConnector('email', process.env);
  return { log: connector.runtime.log, stop: () => connector.close().finally(() => tracing.shutdown()) };
});
