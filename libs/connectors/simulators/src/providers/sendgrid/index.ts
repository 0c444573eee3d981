import { PROVIDER_MOUNTS } from '../../mounts';
import type { ProviderDefinition } from '../../core/provider-definition';
import { bearerToken } from '../../core/validation';
import type { SimulatorCredentials } from '../../types';
import { sendgridErrors, sendgridRateHeaders } from './sendgrid-errors';
import { sendgridRoutes } from './sendgrid-routes';
import type { SendgridState } from './sendgrid-state';

export { SendgridState, type SendgridGroup, type SentMail } from './sendgrid-state';

export function sendgridProvider(
  state: SendgridState,
  credentials: SimulatorCredentials,
): ProviderDefinition {
  return {
    name: 'sendgrid',
    mount: PROVIDER_MOUNTS.sendgrid,
    routes: sendgridRoutes(state),
    errors: sendgridErrors,
    authorized: (request) => bearerToken(request) === credentials.sendgridApiKey,
    everyResponseHeaders: sendgridRateHeaders,
  };
}
