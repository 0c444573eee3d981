import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ProviderSimulators } from '../provider-simulators';
import { ControlError } from './control-error';

const param = (request: FastifyRequest, name: string): string =>
  (request.params as Record<string, string>)[name] ?? '';

function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new ControlError(404, `${what} not found`);
  return value;
}

/** Read-only views of what each provider holds, for assertions from another process. */
export function registerStateRoutes(app: FastifyInstance, sims: ProviderSimulators): void {
  const { state } = sims;
  app.get('/_sim/state/sendgrid/suppressions/global/:email', async (request) => {
    const email = param(request, 'email');
    return { email, suppressed: state.sendgrid.isGloballySuppressed(email) };
  });
  app.get('/_sim/state/sendgrid/groups/:groupId/suppressions', async (request) =>
    state.sendgrid.groupSuppressions(Number(param(request, 'groupId'))),
  );
  app.get('/_sim/state/sendgrid/mails/:email', async (request) =>
    state.sendgrid.mailsTo(param(request, 'email')),
  );
  app.get('/_sim/state/braze/users/:externalId', async (request) =>
    found(state.braze.user(param(request, 'externalId')), 'Braze user'),
  );
  app.get('/_sim/state/onesignal/users/:externalId', async (request) =>
    found(state.onesignal.user(param(request, 'externalId')), 'OneSignal user'),
  );
  app.get('/_sim/state/mailchimp/lists/:listId/members/:email', async (request) =>
    found(state.mailchimp.member(param(request, 'listId'), param(request, 'email')), 'Mailchimp member'),
  );
  app.get('/_sim/state/attentive/subscriptions/:phoneOrEmail', async (request) =>
    state.attentive.subscriptions(param(request, 'phoneOrEmail')),
  );
}
