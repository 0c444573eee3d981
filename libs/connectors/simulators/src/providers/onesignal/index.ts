import { PROVIDER_MOUNTS } from '../../mounts';
import type { ProviderDefinition, SimRequest } from '../../core/provider-definition';
import type { SimulatorCredentials } from '../../types';
import { onesignalErrors } from './onesignal-errors';
import { onesignalRoutes } from './onesignal-routes';
import type { OnesignalState } from './onesignal-state';

export {
  OnesignalState,
  NOTIFICATION_TYPES,
  ONESIGNAL_SUBSCRIPTION_TYPES,
  type OnesignalSubscription,
  type OnesignalSubscriptionType,
  type OnesignalUser,
  type SeedSubscription,
} from './onesignal-state';

/**
 * `Authorization: Key <App API Key>` (OS-KEYS). The key belongs to one app, so a request for another
 * app id is unauthorised too: it is what an adapter configured with the wrong app id would see.
 */
const authorized = (credentials: SimulatorCredentials) => (request: SimRequest) => {
  const key = /^Key\s+(\S+)$/.exec(request.headers['authorization'] ?? '')?.[1];
  const appId = request.params['appId'];
  return key === credentials.onesignalApiKey && (appId === undefined || appId === credentials.onesignalAppId);
};

export function onesignalProvider(
  state: OnesignalState,
  credentials: SimulatorCredentials,
): ProviderDefinition {
  return {
    name: 'onesignal',
    mount: PROVIDER_MOUNTS.onesignal,
    routes: onesignalRoutes(state),
    errors: onesignalErrors,
    authorized: authorized(credentials),
  };
}
