import type { Channel } from '@optstream/connectors-domain';
import {
  createAdapters,
  createConfirmationMailAdapter,
  type ProviderDeps,
} from '@optstream/connectors-providers';
import { createLogger } from '@optstream/observability';
import { loadConnectorConfig } from './connector-config';
import { ConnectorMetrics } from './connector-metrics';
import { confirmationMailFromEnv } from './confirmation-mail-settings';
import { providersFromEnv } from './provider-settings';
import { startConnector, type RunningConnector } from './start-connector';

/** What each connector app's main does: configuration from the environment, adapters, then start. */
export async function startChannelConnector(
  channel: Channel,
  source: NodeJS.ProcessEnv,
): Promise<RunningConnector> {
  const config = loadConnectorConfig(channel, source);
  const service = `connector-${channel}`;
  const providers = providersFromEnv(service, config.CONNECTOR_PROVIDERS, source);
  const metrics = new ConnectorMetrics(service);
  const deps: ProviderDeps = {
    metrics: {
      onRequest: (provider, status, durationMs) => {
        metrics.requests.inc({ provider, status: String(status) });
        metrics.requestSeconds.observe({ provider }, durationMs / 1000);
      },
      onRetry: (provider) => metrics.retries.inc({ provider }),
      onCircuitChange: (provider, _from, to) =>
        metrics.circuitOpen.set({ provider }, to === 'closed' ? 0 : 1),
    },
  };
  const adapters = createAdapters(providers, deps);
  // The email connector also sends the double opt-in confirmation mail, when configured.
  const confirmation =
    channel === 'email' ? confirmationMailFromEnv(service, providers.sendgrid, source) : undefined;
  const targets = confirmation ? [...adapters, createConfirmationMailAdapter(confirmation, deps)] : adapters;
  const log = createLogger(service, config.LOG_LEVEL);
  return startConnector({ channel, config, adapters: targets, log, metrics });
}
