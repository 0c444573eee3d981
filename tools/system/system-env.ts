import type { ServiceName } from './services';

export interface StackAddresses {
  readonly kafkaBrokers: string;
  readonly registryUrl: string;
  readonly databaseUrl: string;
}

/** Secrets every service shares in a local system (generated per checkout, or per test run). */
export interface SystemSecrets {
  readonly OPTSTREAM_HASH_KEY: string;
  readonly OPTSTREAM_MASTER_KEYS: string;
  readonly OPTSTREAM_ACTIVE_MASTER_KEY_ID: string;
  readonly SEGMENT_WRITE_KEYS: string;
  readonly API_SIGNING_SECRETS: string;
  readonly MAILCHIMP_WEBHOOK_SECRET: string;
  readonly READ_API_KEYS: string;
  readonly TWILIO_AUTH_TOKEN: string;
  /** SendGrid's verification key (SPKI DER, base64) and the simulator's matching signing key (PKCS#8 PEM). */
  readonly SENDGRID_WEBHOOK_PUBLIC_KEY: string;
  readonly SENDGRID_SIGNING_PRIVATE_KEY: string;
  /** Signed links (docs/preference-center.md): the key ring and the key that signs. */
  readonly LINK_TOKEN_KEYS: string;
  readonly LINK_TOKEN_ACTIVE_KEY_ID: string;
}

/** Provider settings that point every connector at the simulators (credentials are the simulators'). */
export interface SimulatedProviders {
  readonly url: string;
  readonly env: Readonly<Record<string, string>>;
}

/**
 * The environment of one service in a local system: the stack's addresses, the shared secrets, its port,
 * and, for the gateway and the connectors, what they need to talk to (simulated) providers.
 */
export function serviceEnv(
  name: ServiceName,
  options: {
    readonly stack: StackAddresses;
    readonly secrets: SystemSecrets;
    readonly ports: Record<ServiceName, number>;
    readonly providers: SimulatedProviders;
    readonly spoolDir: string;
    readonly extra?: Readonly<Record<string, string>>;
  },
): NodeJS.ProcessEnv {
  const { stack, secrets, ports, providers } = options;
  const gatewayUrl = `http://127.0.0.1:${ports['ingestion-gateway']}`;
  return {
    KAFKA_BROKERS: stack.kafkaBrokers,
    SCHEMA_REGISTRY_URL: stack.registryUrl,
    DATABASE_URL: stack.databaseUrl,
    ...secrets,
    PORT: String(ports[name]),
    HOST: '127.0.0.1',
    SPOOL_DIR: options.spoolDir,
    TWILIO_WEBHOOK_URL: `${gatewayUrl}/webhooks/twilio/sms`,
    // The development write key (source local-demo) is held by the dev tools and tests, never shipped to a
    // browser: declared server-side, so its identify traits and track calls may opt in.
    SEGMENT_SERVER_SOURCES: 'local-demo',
    PROVIDER_SIMULATORS_PORT: String(ports['provider-simulators']),
    // The gateway serves the link pages; the read API and the CLI mint links pointing at it.
    LINK_BASE_URL: gatewayUrl,
    PREFERENCE_CENTER_READ_API_URL: `http://127.0.0.1:${ports['preference-projector']}`,
    PREFERENCE_CENTER_READ_API_KEY: secrets.READ_API_KEYS.split(':')[0] ?? '',
    ...(name.startsWith('connector-') ? providers.env : {}),
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
    ...options.extra,
  };
}
