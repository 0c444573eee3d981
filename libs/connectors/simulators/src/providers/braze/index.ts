import { PROVIDER_MOUNTS } from '../../mounts';
import type { ProviderDefinition } from '../../core/provider-definition';
import { bearerToken } from '../../core/validation';
import type { SimulatorCredentials } from '../../types';
import { brazeErrors, brazeRateHeaders } from './braze-errors';
import type { BrazeState } from './braze-state';
import { brazeSubscriptionRoutes } from './braze-subscriptions';
import { brazeTrackRoute } from './braze-track';
import { brazeUserRoutes } from './braze-users';

export {
  BrazeState,
  type BrazeUser,
  type BrazeUserKey,
  type BrazeGlobalSubscription,
  type BrazeGroupState,
} from './braze-state';
export { BRAZE_TRACK_MAX_OBJECTS } from './braze-track';

export function brazeProvider(state: BrazeState, credentials: SimulatorCredentials): ProviderDefinition {
  return {
    name: 'braze',
    mount: PROVIDER_MOUNTS.braze,
    routes: [brazeTrackRoute(state), ...brazeSubscriptionRoutes(state), ...brazeUserRoutes(state)],
    errors: brazeErrors,
    authorized: (request) => bearerToken(request) === credentials.brazeApiKey,
    everyResponseHeaders: brazeRateHeaders,
  };
}
