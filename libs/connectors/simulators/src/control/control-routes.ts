import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { ProviderSimulators } from '../provider-simulators';
import { PROVIDER_NAMES } from '@optstream/connectors-domain';
import {
  faultSchema,
  providerSchema,
  rateLimitSchema,
  seedOnesignalSchema,
  sendgridGroupSchema,
} from './control-schemas';
import { ControlError } from './control-error';
import { registerStateRoutes } from './state-routes';

export function controlBody<T>(schema: z.ZodType<T>, request: FastifyRequest): T {
  let value: unknown;
  try {
    value = JSON.parse(typeof request.body === 'string' ? request.body : '');
  } catch {
    throw new ControlError(400, 'the body must be JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new ControlError(
      400,
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  return parsed.data;
}

export const providerParam = (request: FastifyRequest): z.infer<typeof providerSchema> => {
  const parsed = providerSchema.safeParse((request.params as Record<string, string>)['provider']);
  if (!parsed.success) throw new ControlError(404, `unknown provider; one of ${PROVIDER_NAMES.join(', ')}`);
  return parsed.data;
};

/**
 * The control API under `/_sim`, for tests and the demo running in another process; `SimulatorClient`
 * wraps it. Not part of any provider: no auth, no faults, not recorded.
 */
export function registerControlRoutes(app: FastifyInstance, sims: ProviderSimulators): void {
  app.setErrorHandler((error, _request, reply: FastifyReply) => {
    const status = error instanceof ControlError ? error.status : (error.statusCode ?? 500);
    void reply.code(status).send({ error: error.message });
  });
  app.get('/_sim/health', async () => ({ ok: true }));
  app.get('/_sim/config', async () => ({
    url: sims.url,
    baseUrls: Object.fromEntries(PROVIDER_NAMES.map((p) => [p, sims.baseUrl(p)])),
    credentials: sims.credentials,
  }));
  registerCallRoutes(app, sims);
  registerFaultRoutes(app, sims);
  registerSeedRoutes(app, sims);
  registerStateRoutes(app, sims);
  app.post('/_sim/reset', async (_request, reply) => {
    sims.reset();
    return reply.code(204).send();
  });
}

function registerCallRoutes(app: FastifyInstance, sims: ProviderSimulators): void {
  app.get('/_sim/calls', async (request) => {
    const provider = (request.query as Record<string, string | undefined>)['provider'];
    return sims.calls(provider === undefined ? undefined : providerSchema.parse(provider));
  });
  app.delete('/_sim/calls', async (_request, reply) => {
    sims.clearCalls();
    return reply.code(204).send();
  });
  app.get('/_sim/stats/:provider', async (request) => {
    const provider = providerParam(request);
    return {
      calls: sims.calls(provider).length,
      effects: sims.effects(provider),
      maxObservedRatePerSecond: sims.maxObservedRatePerSecond(provider),
      tokensIssued: sims.tokensIssued(provider),
    };
  });
}

function registerFaultRoutes(app: FastifyInstance, sims: ProviderSimulators): void {
  app.put('/_sim/faults/:provider', async (request, reply) => {
    sims.setFault(providerParam(request), controlBody(faultSchema, request));
    return reply.code(204).send();
  });
  app.delete('/_sim/faults/:provider', async (request, reply) => {
    sims.setFault(providerParam(request), null);
    return reply.code(204).send();
  });
  app.put('/_sim/rate-limits/:provider', async (request, reply) => {
    sims.setRateLimit(providerParam(request), controlBody(rateLimitSchema, request));
    return reply.code(204).send();
  });
  app.delete('/_sim/rate-limits/:provider', async (request, reply) => {
    sims.setRateLimit(providerParam(request), null);
    return reply.code(204).send();
  });
}

function registerSeedRoutes(app: FastifyInstance, sims: ProviderSimulators): void {
  app.post('/_sim/onesignal/users', async (request, reply) => {
    const { externalId, subscriptions } = controlBody(seedOnesignalSchema, request);
    return reply.code(201).send(sims.state.onesignal.seedUser(externalId, subscriptions));
  });
  app.post('/_sim/sendgrid/groups', async (request, reply) => {
    const { id, name } = controlBody(sendgridGroupSchema, request);
    return reply.code(201).send(sims.state.sendgrid.addGroup(id, name));
  });
  app.post('/_sim/attentive/expire-tokens', async (_request, reply) => {
    sims.state.attentive.expireTokens();
    return reply.code(204).send();
  });
}
