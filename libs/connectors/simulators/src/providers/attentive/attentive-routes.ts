import { z } from 'zod';
import { badRequest, type SimRequest, type SimRoute } from '../../core/provider-definition';
import { parseJson, tryJson } from '../../core/validation';
import type { AttentiveChannel, AttentiveState, AttentiveType } from './attentive-state';

const channel = z.enum(['TEXT', 'EMAIL']);
const type = z.enum(['MARKETING', 'TRANSACTIONAL']);
const user = z
  .object({
    phone: z
      .string()
      .regex(/^\+[1-9]\d{6,14}$/, 'must be E.164')
      .optional(),
    email: z.string().email().optional(),
  })
  .refine((u) => u.phone !== undefined || u.email !== undefined, {
    message: 'user.phone or user.email is required',
  });

/** docs/providers.md, "Attentive" under Platform facts. */
const unsubscribeBody = z.object({
  user,
  subscriptions: z.array(z.object({ type, channel })).min(1).optional(),
  notification: z.object({ language: z.string().optional(), disabled: z.boolean().optional() }).optional(),
});

/** ASSUMPTION: Attentive's subscribe API shape is not in providers.md; this follows its public docs' names. */
const subscribeBody = z
  .object({
    user,
    signUpSourceId: z.string().optional(),
    subscriptionType: type.optional(),
    locale: z.object({ language: z.string(), country: z.string() }).partial().optional(),
    singleOptIn: z.boolean().optional(),
    externalEventId: z.string().optional(),
  })
  .passthrough();

type User = z.infer<typeof user>;
interface Sub {
  readonly type: AttentiveType;
  readonly channel: AttentiveChannel;
}

const addressFor = (u: User, c: AttentiveChannel): string | undefined => (c === 'TEXT' ? u.phone : u.email);

const bodyContacts = (request: SimRequest) => {
  const value = tryJson(request.rawBody);
  const u =
    typeof value === 'object' && value !== null ? (value as { user?: Partial<User> }).user : undefined;
  return { emails: u?.email ? [u.email] : [], phones: u?.phone ? [u.phone] : [] };
};

export function attentiveRoutes(state: AttentiveState): SimRoute[] {
  return [
    {
      method: 'POST',
      url: '/v1/subscriptions/unsubscribe',
      contacts: bodyContacts,
      handle: (request) => unsubscribe(state, parseJson(unsubscribeBody, request)),
    },
    {
      method: 'POST',
      url: '/v1/subscriptions',
      contacts: bodyContacts,
      handle: (request) => subscribe(state, parseJson(subscribeBody, request)),
    },
    {
      method: 'GET',
      url: '/v1/subscriptions',
      contacts: (request) => ({
        emails: request.query['email'] ? [request.query['email']] : [],
        phones: request.query['phone'] ? [request.query['phone']] : [],
      }),
      handle: (request) => read(state, request),
    },
  ];
}

function unsubscribe(state: AttentiveState, body: z.infer<typeof unsubscribeBody>) {
  const requested = body.subscriptions ?? everySubscription(state, body.user);
  const subscriptionResponses = requested.map((sub) => {
    const address = addressFor(body.user, sub.channel);
    if (address === undefined) {
      throw badRequest(
        `a ${sub.channel} subscription needs user.${sub.channel === 'TEXT' ? 'phone' : 'email'}`,
      );
    }
    const wasSubscribed = state.subscription(address, sub.type, sub.channel)?.status === 'SUBSCRIBED';
    state.set(address, { ...sub, status: 'UNSUBSCRIBED' });
    if (wasSubscribed && sub.channel === 'TEXT' && body.notification?.disabled !== true) {
      state.recordConfirmationText(address);
    }
    return {
      subscription: sub,
      subscriptionUnsubscribeStatus: wasSubscribed ? 'NEWLY_UNSUBSCRIBED' : 'PREVIOUSLY_UNSUBSCRIBED',
    };
  });
  // Asynchronous at Attentive: 202 (docs/providers.md, "Attentive").
  return { status: 202, body: { user: body.user, subscriptionResponses } };
}

/**
 * Omitted `subscriptions` means all of the person's. ASSUMPTION: for an address Attentive never saw we
 * answer MARKETING on its channel as PREVIOUSLY_UNSUBSCRIBED (and remember the opt-out) rather than 404.
 */
function everySubscription(state: AttentiveState, u: User): Sub[] {
  const forChannel = (c: AttentiveChannel): Sub[] => {
    const address = addressFor(u, c);
    if (address === undefined) return [];
    const known = state.subscriptions(address).filter((s) => s.channel === c);
    return known.length > 0
      ? known.map((s) => ({ type: s.type, channel: s.channel }))
      : [{ type: 'MARKETING', channel: c }];
  };
  return [...forChannel('TEXT'), ...forChannel('EMAIL')];
}

function subscribe(state: AttentiveState, body: z.infer<typeof subscribeBody>) {
  const subType = body.subscriptionType ?? 'MARKETING';
  const channels: AttentiveChannel[] = [
    ...(body.user.phone ? (['TEXT'] as const) : []),
    ...(body.user.email ? (['EMAIL'] as const) : []),
  ];
  const subscriptionResponses = channels.map((c) => {
    const address = addressFor(body.user, c) ?? '';
    const was = state.subscription(address, subType, c)?.status === 'SUBSCRIBED';
    state.set(address, { type: subType, channel: c, status: 'SUBSCRIBED' });
    return {
      subscription: { type: subType, channel: c },
      subscriptionStatus: was ? 'PREVIOUSLY_SUBSCRIBED' : 'NEWLY_SUBSCRIBED',
    };
  });
  return { status: 202, body: { user: body.user, subscriptionResponses } };
}

/** ASSUMPTION: read shape is ours: `{user, subscriptions:[{type, channel, status}]}`. */
function read(state: AttentiveState, request: SimRequest) {
  const { phone, email } = request.query;
  if (!phone && !email) throw badRequest('phone or email is required');
  const subscriptions = [
    ...(phone ? state.subscriptions(phone) : []),
    ...(email ? state.subscriptions(email) : []),
  ];
  return { status: 200, body: { user: { phone, email }, subscriptions } };
}
