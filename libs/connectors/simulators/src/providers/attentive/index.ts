import { PROVIDER_MOUNTS } from '../../mounts';
import type { ProviderDefinition } from '../../core/provider-definition';
import { bearerToken } from '../../core/validation';
import type { SimulatorCredentials } from '../../types';
import { attentiveErrors } from './attentive-errors';
import { attentiveRoutes } from './attentive-routes';
import type { AttentiveState } from './attentive-state';
import { attentiveTokenRoute } from './attentive-token';

export {
  AttentiveState,
  ATTENTIVE_TOKEN_TTL_SECONDS,
  type AttentiveChannel,
  type AttentiveStatus,
  type AttentiveSubscription,
  type AttentiveType,
} from './attentive-state';

/** API calls carry a Bearer token from `/oauth/token`; an unknown or expired token is 401. */
export function attentiveProvider(
  state: AttentiveState,
  credentials: SimulatorCredentials,
): ProviderDefinition {
  return {
    name: 'attentive',
    mount: PROVIDER_MOUNTS.attentive,
    routes: [attentiveTokenRoute(state, credentials), ...attentiveRoutes(state)],
    errors: attentiveErrors,
    authorized: (request) => state.tokenValid(bearerToken(request), Date.now()),
  };
}
