import type { HeaderMap, HttpRequest, NetworkErrorCode } from '@optstream/connectors-domain';
import { failSpan, traceHeaders, withSpan } from '@optstream/observability';

export type HttpAttempt =
  | {
      readonly kind: 'response';
      readonly status: number;
      readonly headers: HeaderMap;
      readonly body: unknown;
    }
  | { readonly kind: 'network-error'; readonly code: NetworkErrorCode; readonly message: string };

export interface SendOptions {
  readonly fetch: typeof fetch;
  readonly baseUrl: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

/**
 * One HTTP exchange, never throwing: the whole exchange (connect, headers AND body) runs under one
 * AbortSignal.timeout, so a provider that stalls mid-body cannot hang a connector. Each exchange is a
 * client span (child of the active one) whose context goes out in the `traceparent` header. The span
 * names the method and host only: provider paths may hold identifiers.
 */
export function sendOnce(request: HttpRequest, options: SendOptions): Promise<HttpAttempt> {
  const url = options.baseUrl.replace(/\/+$/, '') + request.path;
  return withSpan(
    request.method,
    undefined,
    async (span) => {
      const attempt = await exchange(url, request, options);
      if (attempt.kind === 'response') {
        span.setAttribute('http.response.status_code', attempt.status);
        if (attempt.status >= 400) failSpan(span, `HTTP ${attempt.status}`);
      } else {
        span.setAttribute('error.type', attempt.code);
        failSpan(span, attempt.message);
      }
      return attempt;
    },
    { kind: 'client', attributes: { 'http.request.method': request.method, 'server.address': hostOf(url) } },
  );
}

async function exchange(url: string, request: HttpRequest, options: SendOptions): Promise<HttpAttempt> {
  const hasBody = request.body !== undefined;
  const body =
    typeof request.body === 'string' ? request.body : hasBody ? JSON.stringify(request.body) : undefined;
  try {
    const response = await options.fetch(url, {
      method: request.method,
      headers: {
        accept: 'application/json',
        ...(hasBody ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
        ...request.headers,
        ...traceHeaders(),
      },
      body,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const text = await response.text();
    return {
      kind: 'response',
      status: response.status,
      headers: flatten(response.headers),
      body: parseBody(text),
    };
  } catch (error) {
    return { kind: 'network-error', code: networkErrorCode(error), message: describe(error) };
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid-url';
  }
}

function flatten(headers: Headers): HeaderMap {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => (out[name.toLowerCase()] = value));
  return out;
}

/** JSON when it parses (providers are inconsistent about content-type), else the raw text. */
function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * undici wraps socket errors as TypeError('fetch failed') with the system error in `cause`. Duck-typed,
 * not `instanceof Error`: fetch's errors may come from another realm (VM contexts, Jest).
 */
export function networkErrorCode(error: unknown): NetworkErrorCode {
  const name = field(error, 'name');
  if (name === 'TimeoutError' || name === 'AbortError') return 'timeout';
  const code = field(field(error, 'cause'), 'code') ?? field(error, 'code');
  if (code === 'ECONNREFUSED') return 'connection-refused';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') return 'connection-reset';
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'ETIMEDOUT')
    return 'timeout';
  return 'network-error';
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

const describe = (error: unknown): string =>
  `${String(field(error, 'name'))}: ${String(field(error, 'message'))}`;
