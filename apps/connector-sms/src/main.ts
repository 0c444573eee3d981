import 'reflect-metadata';
import { runService } from '@optstream/config';
import { startChannelConnector } from '@optstream/connector-runtime';

// The sms connector: keeps the sms platforms in sync with every channel's consent of each contact.
runService(async () => {
  const connector = await startChannelConnector('sms', process.env);
  return { log: connector.runtime.log, stop: () => connector.close() };
});
