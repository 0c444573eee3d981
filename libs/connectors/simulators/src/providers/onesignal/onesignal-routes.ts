import { z } from 'zod';
import { notFound, type SimRequest, type SimRoute } from '../../core/provider-definition';
import { parseJson } from '../../core/validation';
import {
  ONESIGNAL_SUBSCRIPTION_TYPES,
  type OnesignalState,
  type OnesignalSubscriptionType,
} from './onesignal-state';

const updateBody = z.object({
  subscription: z
    .object({ enabled: z.boolean().optional(), notification_types: z.number().int().optional() })
    .refine((s) => s.enabled !== undefined || s.notification_types !== undefined, {
      message: 'subscription.enabled is required',
    }),
});

/** Update user (OS-UPD): data tags as strings; a tag set to "" is removed. */
const userUpdateBody = z.object({
  properties: z.object({ tags: z.record(z.string().max(255)).optional() }).passthrough(),
});

const USER = '/apps/:appId/users/by/external_id/:externalId';

const externalIdContacts = (request: SimRequest) => ({ externalIds: [request.params['externalId'] ?? ''] });

/** User model v11 (OS-USER, OS-SUB): user look-up, subscription enable/disable, user deletion. */
export function onesignalRoutes(state: OnesignalState): SimRoute[] {
  const subscriptionContacts = (subscriptionId: (r: SimRequest) => string | undefined) => (r: SimRequest) => {
    const id = subscriptionId(r);
    const found = id === undefined ? undefined : state.findSubscription({ id });
    return { externalIds: found ? [found.user.identity.external_id] : [] };
  };
  const byToken = (r: SimRequest) =>
    state.findSubscription({ type: r.params['tokenType'] ?? '', token: r.params['token'] ?? '' })
      ?.subscription.id;
  return [
    {
      method: 'GET',
      url: USER,
      contacts: externalIdContacts,
      handle: (request) => {
        const user = state.user(request.params['externalId'] ?? '');
        if (!user) throw notFound('User not found');
        return { status: 200, body: user };
      },
    },
    {
      method: 'PATCH',
      url: USER,
      contacts: externalIdContacts,
      handle: (request) => {
        const { properties } = parseJson(userUpdateBody, request);
        const tags = state.setTags(request.params['externalId'] ?? '', properties.tags ?? {});
        if (!tags) throw notFound('User not found');
        return { status: 202, body: { properties: { tags } } };
      },
    },
    {
      method: 'DELETE',
      url: USER,
      contacts: externalIdContacts,
      handle: (request) => {
        if (!state.deleteUser(request.params['externalId'] ?? '')) throw notFound('User not found');
        return { status: 200, body: {} };
      },
    },
    {
      method: 'PATCH',
      url: '/apps/:appId/subscriptions/:subscriptionId',
      contacts: subscriptionContacts((r) => r.params['subscriptionId']),
      handle: (request) => updateSubscription(state, request, request.params['subscriptionId']),
    },
    {
      method: 'PATCH',
      url: '/apps/:appId/subscriptions_by_token/:tokenType/:token',
      contacts: subscriptionContacts(byToken),
      handle: (request) => {
        const type = request.params['tokenType'] as OnesignalSubscriptionType;
        if (!ONESIGNAL_SUBSCRIPTION_TYPES.includes(type)) throw notFound(`Unknown token type ${type}`);
        return updateSubscription(state, request, byToken(request));
      },
    },
  ];
}

/** Answers 202: OneSignal applies subscription updates asynchronously (the simulator applies at once). */
function updateSubscription(state: OnesignalState, request: SimRequest, subscriptionId: string | undefined) {
  const { subscription } = parseJson(updateBody, request);
  const enabled = subscription.enabled ?? (subscription.notification_types ?? 0) > 0;
  if (subscriptionId === undefined || !state.setEnabled(subscriptionId, enabled)) {
    throw notFound('Subscription not found');
  }
  return { status: 202, body: {} };
}
