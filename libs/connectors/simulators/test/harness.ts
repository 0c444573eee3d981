import {
  startProviderSimulators,
  type ProviderName,
  type ProviderSimulators,
  type SimulatorOptions,
} from '../src';

export interface HttpResult {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON when the answer has a body that parses, the text otherwise, undefined when empty. */
  readonly body: unknown;
  readonly text: string;
}

export interface CallOptions {
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Send this exact text instead of JSON-encoding `body`. */
  readonly raw?: string;
  readonly signal?: AbortSignal;
}

/** One simulator instance per test file; each test starts from a reset simulator. */
export function useSimulators(options: SimulatorOptions = {}): () => ProviderSimulators {
  let sims: ProviderSimulators | undefined;
  beforeAll(async () => {
    sims = await startProviderSimulators({ port: 0, ...options });
  });
  beforeEach(() => sims?.reset());
  afterAll(() => sims?.close());
  return () => {
    if (!sims) throw new Error('simulators not started');
    return sims;
  };
}

export async function call(
  sims: ProviderSimulators,
  provider: ProviderName,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<HttpResult> {
  const hasBody = options.raw !== undefined || options.body !== undefined;
  const response = await fetch(`${sims.baseUrl(provider)}${path}`, {
    method,
    headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...options.headers },
    ...(hasBody ? { body: options.raw ?? JSON.stringify(options.body) } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: parse(text), text };
}

function parse(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
export const basic = (user: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});
