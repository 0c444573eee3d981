import Fastify, { type FastifyInstance } from 'fastify';
import { PROVIDER_NAMES } from '@optstream/connectors-domain';
import { CallRecorder } from './core/call-recorder';
import { HeldRequests } from './core/held-requests';
import { mountProvider } from './core/mount-provider';
import type { ProviderDefinition } from './core/provider-definition';
import { ProviderRuntime } from './core/provider-runtime';
import { PROVIDER_MOUNTS } from './mounts';
import { registerControlRoutes } from './control/control-routes';
import { attentiveProvider } from './providers/attentive';
import { brazeProvider } from './providers/braze';
import { mailchimpProvider } from './providers/mailchimp';
import { onesignalProvider } from './providers/onesignal';
import { sendgridProvider } from './providers/sendgrid';
import { setUpAccounts } from './account-setup';
import { createSimulatorState, resetSimulatorState, type SimulatorState } from './simulator-state';
import {
  DEFAULT_SIMULATOR_CREDENTIALS,
  type Fault,
  type ProviderName,
  type RateLimit,
  type RecordedCall,
  type SimulatorCredentials,
  type SimulatorOptions,
} from './types';

export interface ProviderSimulators {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly credentials: SimulatorCredentials;
  readonly state: SimulatorState;
  /** What an adapter uses as its API base URL, e.g. `${url}/mailchimp/3.0`. */
  baseUrl(provider: ProviderName): string;
  /** Every request, in arrival order. */
  calls(provider?: ProviderName): readonly RecordedCall[];
  /** Forgets the calls and the observed rates. */
  clearCalls(): void;
  setFault(provider: ProviderName, fault: Fault | null): void;
  setRateLimit(provider: ProviderName, limit: RateLimit | null): void;
  /** Most requests that arrived within any sliding 1-second window since the last clear/reset. */
  maxObservedRatePerSecond(provider: ProviderName): number;
  /** State changes actually applied (idempotent replays and refused requests apply none). */
  effects(provider: ProviderName): number;
  /** Access tokens issued (only Attentive uses OAuth; the others answer 0). */
  tokensIssued(provider: ProviderName): number;
  /** State, calls, faults, rate limits, idempotency keys, counters. */
  reset(): void;
  close(): Promise<void>;
}

export async function startProviderSimulators(options: SimulatorOptions = {}): Promise<ProviderSimulators> {
  const credentials = { ...DEFAULT_SIMULATOR_CREDENTIALS, ...options.credentials };
  const runtimes = new Map(PROVIDER_NAMES.map((p) => [p, new ProviderRuntime(p)] as const));
  const runtime = (provider: ProviderName): ProviderRuntime => {
    const found = runtimes.get(provider);
    if (!found) throw new Error(`unknown provider ${String(provider)}`);
    return found;
  };
  const state = createSimulatorState((provider) => runtime(provider).countEffect);
  const setUp = (): void => {
    if (options.topics !== undefined) setUpAccounts(state, options.topics);
  };
  setUp();
  const recorder = new CallRecorder();
  const held = new HeldRequests();
  const app = createApp();

  for (const definition of definitions(state, credentials)) {
    mountProvider(app, definition, { recorder, runtime: runtime(definition.name), held });
  }

  let url = '';
  const simulators: ProviderSimulators = {
    get url() {
      return url;
    },
    credentials,
    state,
    baseUrl: (provider) => `${url}${PROVIDER_MOUNTS[provider]}`,
    calls: (provider) => recorder.list(provider),
    clearCalls: () => {
      recorder.clear();
      runtimes.forEach((r) => r.resetCalls());
    },
    setFault: (provider, fault) => runtime(provider).fault.set(fault),
    setRateLimit: (provider, limit) => runtime(provider).setRateLimit(limit, Date.now()),
    maxObservedRatePerSecond: (provider) => runtime(provider).window.maxPerSecond(),
    effects: (provider) => runtime(provider).effects(),
    tokensIssued: (provider) => (provider === 'attentive' ? state.attentive.tokensIssued() : 0),
    reset: () => {
      resetSimulatorState(state);
      setUp();
      recorder.clear();
      runtimes.forEach((r) => r.reset());
    },
    close: async () => {
      held.releaseAll();
      await app.close();
    },
  };
  registerControlRoutes(app, simulators);
  const address = await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  url = address.replace('://localhost', '://127.0.0.1');
  return simulators;
}

function definitions(state: SimulatorState, credentials: SimulatorCredentials): ProviderDefinition[] {
  return [
    sendgridProvider(state.sendgrid, credentials),
    mailchimpProvider(state.mailchimp, credentials),
    brazeProvider(state.braze, credentials),
    onesignalProvider(state.onesignal, credentials),
    attentiveProvider(state.attentive, credentials),
  ];
}

/**
 * Bodies reach the routes as raw text: each provider decides how to parse and what its 400 looks like,
 * and signatures or hashes are always over the bytes sent.
 */
function createApp(): FastifyInstance {
  const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 5 * 1024 * 1024 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  return app;
}
