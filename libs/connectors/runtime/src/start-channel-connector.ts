import type { Channel } from '@optstream/connectors-domain';
import { createAdapters } from '@optstream/connectors-providers';
import { createLogger } from '@optstream/observability';
import { loadConnectorConfig } from './connector-config';
import { ConnectorMetrics } from './connector-metrics';
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
  const adapters = createAdapters(providers, {
    metrics: {
      onRequest: (provider, status, durationMs) => {
        metrics.requests.inc({ provider, status: String(status) });
        metrics.requestSeconds.observe({ provider }, durationMs / 1000);
      },
      onRetry: (provider) => metrics.retries.inc({ provider }),
      onCircuitChange: (provider, _from, to) =>
        metrics.circuitOpen.set({ provider }, to === 'closed' ? 0 : 1),
    },
  });
  const log = createLogger(service, config.LOG_LEVEL);
  return startConnector({ channel, config, adapters, log, metrics });
}
