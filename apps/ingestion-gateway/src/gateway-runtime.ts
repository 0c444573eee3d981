import type { KeyObject } from 'node:crypto';
import { deadLetterTopicAs, TOPICS } from '@optstream/contracts';
import { parseSendgridPublicKey } from '@optstream/ingestion-domain';
import { DurableSpool } from '@optstream/ingestion-spool';
import { AvroCodec, createKafkaClient, EventPublisher, provisionContracts } from '@optstream/kafka';
import { createLogger, Logger } from '@optstream/observability';
import { loadTopicCatalogue, type TopicIndex } from '@optstream/consent-topics';
import { GatewayConfig } from './config/gateway-config';
import { InboundPublisher } from './intake/inbound-publisher';
import { IntakeService } from './intake/intake.service';
import { LinkPages, linkPagesFromConfig } from './links/link-pages';
import { GatewayMetrics } from './observability/gateway-metrics';

/** Everything the HTTP layer needs, built once at start-up from configuration. */
export interface GatewayRuntime {
  readonly config: GatewayConfig;
  readonly log: Logger;
  readonly metrics: GatewayMetrics;
  readonly intake: IntakeService;
  readonly topics: TopicIndex;
  readonly inbound: InboundPublisher;
  readonly sendgridPublicKey: KeyObject | undefined;
  readonly hashKey: Buffer;
  /** The signed-link pages (docs/preference-center.md); undefined while LINK_TOKEN_KEYS is unset. */
  readonly linkPages: LinkPages | undefined;
  readonly now: () => number;
  close(): Promise<void>;
}

export const GATEWAY_RUNTIME = Symbol('GatewayRuntime');

export async function startGatewayRuntime(
  config: GatewayConfig,
  log: Logger = createLogger('ingestion-gateway', config.LOG_LEVEL),
): Promise<GatewayRuntime> {
  const sendgridPublicKey = config.SENDGRID_WEBHOOK_PUBLIC_KEY
    ? parsedKey(config.SENDGRID_WEBHOOK_PUBLIC_KEY)
    : undefined;
  // The catalogue is validated before anything is served: a bad one stops the start with every problem.
  const topics = loadTopicCatalogue({ CONSENT_TOPICS_FILE: config.CONSENT_TOPICS_FILE });
  // Checked before connecting to anything: a bad link key or brand stops the start with its reason.
  const linkPages = linkPagesFromConfig(config, Buffer.from(config.OPTSTREAM_HASH_KEY, 'base64'), topics);
  const kafka = createKafkaClient(config, 'ingestion-gateway');
  const codec = AvroCodec.fromConfig(config);
  // The gateway writes two topics; it makes sure they exist and their schemas are registered before serving.
  await provisionContracts(
    kafka,
    codec,
    [
      TOPICS.contactInbound,
      deadLetterTopicAs(
        TOPICS.ingestionDeadLetter,
        TOPICS.ingestionDeadLetter.name,
        config.DEAD_LETTER_RETENTION_MS,
      ),
    ],
    {
      ...(config.TOPIC_PARTITIONS ? { partitions: config.TOPIC_PARTITIONS } : {}),
      producer: { name: 'ingestion-gateway', warn: (message) => log.warn(message) },
    },
  );
  const publisher = new EventPublisher(
    kafka,
    codec,
    {},
    {
      retry: { retries: config.PUBLISH_RETRIES, initialRetryTime: 100, maxRetryTime: 1_000 },
    },
  );
  await publisher.connect();
  const { spool, warnings } = await DurableSpool.open(config.SPOOL_DIR, {
    maxBytes: config.SPOOL_MAX_BYTES,
    maxRecords: 5_000_000,
  });
  for (const warning of warnings) log.warn({ warning }, 'spool recovered from a torn write');
  const metrics = new GatewayMetrics();
  const hashKey = Buffer.from(config.OPTSTREAM_HASH_KEY, 'base64');
  const inbound = new InboundPublisher(publisher, codec, spool, metrics, log, {
    hashKey,
    publishTimeoutMs: config.PUBLISH_TIMEOUT_MS,
  });
  inbound.start();
  return {
    config,
    log,
    metrics,
    intake: new IntakeService(inbound, codec, metrics, hashKey, {
      maxFutureSkewMs: config.MAX_FUTURE_SKEW_SECONDS * 1000,
    }),
    topics,
    inbound,
    sendgridPublicKey,
    hashKey,
    linkPages,
    now: Date.now,
    async close() {
      await inbound.stop();
      // Whatever Kafka can take now goes out before we leave; the rest stays durable in the spool.
      await inbound.drainOnce();
      await spool.close();
      await publisher.disconnect();
    },
  };
}

function parsedKey(base64: string): KeyObject {
  const parsed = parseSendgridPublicKey(base64);
  if (!parsed.ok) throw new Error(`SENDGRID_WEBHOOK_PUBLIC_KEY: ${parsed.reason}`);
  return parsed.value;
}
