import { PROVIDER_MOUNTS } from '../../mounts';
import type { ProviderDefinition, SimRequest } from '../../core/provider-definition';
import { basicCredentials, bearerToken } from '../../core/validation';
import type { SimulatorCredentials } from '../../types';
import { mailchimpErrors } from './mailchimp-errors';
import { mailchimpRoutes } from './mailchimp-routes';
import type { MailchimpState } from './mailchimp-state';

export {
  MailchimpState,
  subscriberHash,
  type MailchimpMember,
  type MailchimpStatus,
} from './mailchimp-state';

/** Mailchimp allows 10 simultaneous connections per account (MC-RL); the 11th gets 429. */
export const MAILCHIMP_MAX_CONCURRENT = 10;

/** HTTP Basic with any user name and the API key as password, or OAuth2 Bearer (MC-CONF). */
const authorized = (key: string) => (request: SimRequest) =>
  basicCredentials(request)?.password === key || bearerToken(request) === key;

export function mailchimpProvider(
  state: MailchimpState,
  credentials: SimulatorCredentials,
): ProviderDefinition {
  return {
    name: 'mailchimp',
    mount: PROVIDER_MOUNTS.mailchimp,
    routes: mailchimpRoutes(state),
    errors: mailchimpErrors,
    authorized: authorized(credentials.mailchimpApiKey),
    maxConcurrent: MAILCHIMP_MAX_CONCURRENT,
  };
}
