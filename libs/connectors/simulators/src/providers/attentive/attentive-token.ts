import type { SimRequest, SimResponse, SimRoute } from '../../core/provider-definition';
import { basicCredentials } from '../../core/validation';
import type { SimulatorCredentials } from '../../types';
import type { AttentiveState } from './attentive-state';

/** OAuth 2.0 errors (RFC 6749 §5.2), not Attentive's API error shape. */
const oauthError = (status: number, error: string, description: string): SimResponse => ({
  status,
  body: { error, error_description: description },
});

/** Client credentials grant: form body, or client id/secret as HTTP Basic (both are RFC 6749). */
export function attentiveTokenRoute(state: AttentiveState, credentials: SimulatorCredentials): SimRoute {
  return {
    method: 'POST',
    url: '/oauth/token',
    public: true,
    handle: (request, ctx) => {
      const form = new URLSearchParams(request.rawBody);
      if (!(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
        return oauthError(
          400,
          'invalid_request',
          'the token request must be application/x-www-form-urlencoded',
        );
      }
      if (form.get('grant_type') !== 'client_credentials') {
        return oauthError(400, 'unsupported_grant_type', 'only grant_type=client_credentials is supported');
      }
      if (!clientMatches(request, form, credentials)) {
        return oauthError(401, 'invalid_client', 'client authentication failed');
      }
      const { token, expiresIn } = state.issueToken(ctx.now);
      return {
        status: 200,
        body: {
          access_token: token,
          token_type: 'Bearer',
          expires_in: expiresIn,
          scope: 'subscriptions:write',
        },
        headers: { 'cache-control': 'no-store' },
      };
    },
  };
}

function clientMatches(
  request: SimRequest,
  form: URLSearchParams,
  credentials: SimulatorCredentials,
): boolean {
  const basic = basicCredentials(request);
  const id = basic?.user ?? form.get('client_id');
  const secret = basic?.password ?? form.get('client_secret');
  return id === credentials.attentiveClientId && secret === credentials.attentiveClientSecret;
}
