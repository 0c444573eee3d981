import { loadTopicCatalogue } from '@optstream/consent-topics';
import {
  DEFAULT_SIMULATOR_CREDENTIALS,
  type SimulatorCredentials,
  type SimulatorOptions,
} from '@optstream/provider-simulators';

type Env = Readonly<Record<string, string | undefined>>;

/** Environment variable per credential; unset ones keep the simulator defaults. */
export const CREDENTIAL_ENV: Readonly<Record<keyof SimulatorCredentials, string>> = {
  sendgridApiKey: 'SENDGRID_API_KEY',
  mailchimpApiKey: 'MAILCHIMP_API_KEY',
  brazeApiKey: 'BRAZE_API_KEY',
  onesignalAppId: 'ONESIGNAL_APP_ID',
  onesignalApiKey: 'ONESIGNAL_API_KEY',
  attentiveClientId: 'ATTENTIVE_CLIENT_ID',
  attentiveClientSecret: 'ATTENTIVE_CLIENT_SECRET',
};

export const DEFAULT_PORT = 8099;

export function optionsFromEnv(env: Env): Required<SimulatorOptions> {
  const credentials = { ...DEFAULT_SIMULATOR_CREDENTIALS };
  for (const [field, name] of Object.entries(CREDENTIAL_ENV) as [keyof SimulatorCredentials, string][]) {
    const value = env[name];
    if (value) credentials[field] = value;
  }
  const port = Number(env['PROVIDER_SIMULATORS_PORT'] ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PROVIDER_SIMULATORS_PORT must be a port number, got ${env['PROVIDER_SIMULATORS_PORT']}`);
  }
  // The accounts are set up for the catalogue the services run with (CONSENT_TOPICS_FILE or the versioned one).
  const topics = loadTopicCatalogue({ ...env }).catalogue;
  return { port, host: env['PROVIDER_SIMULATORS_HOST'] ?? '127.0.0.1', credentials, topics };
}
