import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ContactRef } from '../types';
import type { CallRecorder } from './call-recorder';
import type { HeldRequests } from './held-requests';
import {
  SimError,
  type ProviderDefinition,
  type SimRequest,
  type SimResponse,
  type SimRoute,
} from './provider-definition';
import type { ProviderRuntime } from './provider-runtime';

export interface MountDeps {
  readonly recorder: CallRecorder;
  readonly runtime: ProviderRuntime;
  readonly held: HeldRequests;
}

type Call = ReturnType<CallRecorder['start']>;

/** Registers a provider's routes, each behind the shared pipeline, plus a provider-shaped 404. */
export function mountProvider(app: FastifyInstance, def: ProviderDefinition, deps: MountDeps): void {
  for (const route of def.routes) {
    app.route({
      method: route.method,
      url: `${def.mount}${route.url}`,
      handler: (request, reply) => runPipeline(def, route, deps, request, reply),
    });
  }
  const unknown: SimRoute = {
    method: 'GET',
    url: '/*',
    handle: (request) => def.errors.notFound(`no such endpoint: ${request.method} ${request.path}`),
  };
  app.all(`${def.mount}/*`, (request, reply) => runPipeline(def, unknown, deps, request, reply));
}

async function runPipeline(
  def: ProviderDefinition,
  route: SimRoute,
  deps: MountDeps,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const simRequest = toSimRequest(request, def.mount);
  const call = deps.recorder.start(recordOf(def, simRequest));
  deps.runtime.window.observe(call.at);
  deps.runtime.inFlight += 1;
  reply.raw.once('close', () => (deps.runtime.inFlight -= 1));

  // Concurrency is judged on arrival: a slow answer keeps its connection busy for later arrivals.
  const overConcurrency = def.maxConcurrent !== undefined && deps.runtime.inFlight > def.maxConcurrent;
  const fault = deps.runtime.fault.take();
  if (fault?.kind === 'down' || fault?.kind === 'timeout') {
    // No answer at all: the socket is destroyed now (down) or held until the client gives up (timeout).
    reply.hijack();
    if (fault.kind === 'down') request.raw.socket.destroy();
    else deps.held.hold(request.raw.socket);
    return;
  }
  if (fault?.kind === 'slow') await deps.held.delay(fault.delayMs);

  const response = overConcurrency
    ? def.errors.rateLimited(1, deps.runtime.rateSnapshot(Date.now()))
    : answer(def, route, deps.runtime, simRequest, fault);
  send(def, deps.runtime, call, reply, response);
}

type Fault = ReturnType<ProviderRuntime['fault']['take']>;

/** Every check a real provider makes before and around the effect, in a fixed order. */
function answer(
  def: ProviderDefinition,
  route: SimRoute,
  runtime: ProviderRuntime,
  request: SimRequest,
  fault: Fault,
): SimResponse {
  const now = Date.now();
  if (!route.public && !def.authorized(request)) return def.errors.unauthorized();
  const admitted = runtime.admit(now);
  if (!admitted.ok) {
    return def.errors.rateLimited(admitted.retryAfterSeconds, { ...runtime.rateSnapshot(now), remaining: 0 });
  }
  if (fault?.kind === 'rate-limit') {
    const resetAt = Math.ceil(now / 1000) + fault.retryAfterSeconds;
    return def.errors.rateLimited(fault.retryAfterSeconds, {
      ...runtime.rateSnapshot(now),
      remaining: 0,
      resetAt,
    });
  }
  if (fault?.kind === 'server-error') return def.errors.serverError(fault.status ?? 500);
  return guarded(def, () => applyRoute(def, route, runtime, request, now));
}

function applyRoute(
  def: ProviderDefinition,
  route: SimRoute,
  runtime: ProviderRuntime,
  request: SimRequest,
  now: number,
): SimResponse {
  const reject = route.contacts ? runtime.fault.rejects(route.contacts(request)) : undefined;
  if (reject) return def.errors.rejected(reject.status, 'this contact is refused (simulated poison contact)');
  const key = request.method === 'GET' ? undefined : request.headers['idempotency-key'];
  const replayed = key === undefined ? undefined : runtime.replay(key);
  if (replayed) return replayed;
  const response = route.handle(request, {
    now,
    rejectStatus: (contacts: ContactRef) => runtime.fault.rejects(contacts)?.status,
  });
  if (key !== undefined && response.status >= 200 && response.status < 300) runtime.remember(key, response);
  return response;
}

function guarded(def: ProviderDefinition, run: () => SimResponse): SimResponse {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof SimError)) throw error;
    if (error.kind === 'unauthorized') return def.errors.unauthorized();
    return error.kind === 'not-found'
      ? def.errors.notFound(error.message)
      : def.errors.badRequest(error.message);
  }
}

function send(
  def: ProviderDefinition,
  runtime: ProviderRuntime,
  call: Call,
  reply: FastifyReply,
  response: SimResponse,
): void {
  const headers = {
    ...def.everyResponseHeaders?.(runtime.rateSnapshot(Date.now())),
    ...response.headers,
  };
  call.status = response.status;
  void reply.code(response.status).headers(headers);
  if (response.body === undefined) {
    void reply.send();
  } else if (typeof response.body === 'string') {
    void reply.send(response.body);
  } else {
    if (reply.getHeader('content-type') === undefined) void reply.header('content-type', 'application/json');
    void reply.send(JSON.stringify(response.body));
  }
}

function toSimRequest(request: FastifyRequest, mount: string): SimRequest {
  const [pathname = '', search = ''] = request.url.split('?', 2);
  return {
    method: request.method,
    path: pathname.slice(mount.length) || '/',
    params: stringRecord(request.params),
    query: Object.fromEntries(new URLSearchParams(search)),
    headers: stringRecord(request.headers),
    rawBody: typeof request.body === 'string' ? request.body : '',
  };
}

function recordOf(def: ProviderDefinition, request: SimRequest): Omit<Call, 'status'> {
  return {
    provider: def.name,
    method: request.method,
    path: request.path,
    query: request.query,
    headers: request.headers,
    body: recordedBody(request),
    at: Date.now(),
  };
}

function recordedBody(request: SimRequest): unknown {
  if (request.rawBody === '') return undefined;
  if (!(request.headers['content-type'] ?? '').includes('json')) return request.rawBody;
  try {
    return JSON.parse(request.rawBody);
  } catch {
    return request.rawBody;
  }
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const [name, v] of Object.entries(value)) {
    if (typeof v === 'string') out[name] = v;
    else if (Array.isArray(v)) out[name] = v.join(', ');
    else if (typeof v === 'number') out[name] = String(v);
  }
  return out;
}
