import { badRequest, type SimRequest, type SimRoute } from '../../core/provider-definition';
import { normalizeEmail, parseJson, tryJson } from '../../core/validation';
import { asList, statusSetBody, statusSetV2Body } from './braze-schemas';
import type { BrazeGroupState, BrazeState, BrazeUserKey } from './braze-state';

interface Targets {
  readonly externalIds: readonly string[];
  readonly emails: readonly string[];
  readonly phones: readonly string[];
}

/** Subscription group status: v1 and v2 set (BZ-SUB, BZ-SUB2) and the status read. */
export function brazeSubscriptionRoutes(state: BrazeState): SimRoute[] {
  return [
    {
      method: 'POST',
      url: '/subscription/status/set',
      contacts: (request) => v1Targets(request, false),
      handle: (request) => {
        const body = parseJson(statusSetBody, request);
        const targets = v1Targets(request, true);
        if (targets.emails.length > 0 && targets.phones.length > 0) {
          throw badRequest('Either email or phone may be provided, not both.');
        }
        requireSomeone(targets);
        setGroup(state, body.subscription_group_id, body.subscription_state, targets);
        // The older doc answers 201 (BZ-SUB); the body is the same in every version.
        return { status: 201, body: { message: 'success' } };
      },
    },
    {
      method: 'POST',
      url: '/v2/subscription/status/set',
      contacts: v2Targets,
      handle: (request) => {
        const body = parseJson(statusSetV2Body, request);
        for (const group of body.subscription_groups) {
          const targets = {
            externalIds: group.external_ids ?? [],
            emails: group.emails ?? [],
            phones: group.phones ?? [],
          };
          requireSomeone(targets);
          setGroup(state, group.subscription_group_id, group.subscription_state, targets);
        }
        return { status: 201, body: { message: 'success' } };
      },
    },
    { method: 'GET', url: '/subscription/status/get', handle: (request) => statusGet(state, request) },
  ];
}

function statusGet(state: BrazeState, request: SimRequest) {
  const groupId = request.query['subscription_group_id'];
  const externalIds = (request.query['external_id'] ?? '').split(',').filter((id) => id !== '');
  if (!groupId) throw badRequest('subscription_group_id is required');
  if (externalIds.length === 0) throw badRequest('external_id, email or phone is required');
  const status = Object.fromEntries(
    externalIds.map((id) => [id, label(state.user(id)?.subscription_groups[groupId])]),
  );
  return { status: 200, body: { status, message: 'success' } };
}

const label = (value: BrazeGroupState | undefined) =>
  value === undefined ? 'Unknown' : value === 'subscribed' ? 'Subscribed' : 'Unsubscribed';

function requireSomeone(targets: Targets): void {
  if (targets.externalIds.length + targets.emails.length + targets.phones.length === 0) {
    throw badRequest('external_id, email or phone is required');
  }
}

interface Target {
  readonly key: BrazeUserKey;
  /** Set on a profile created for an address nobody holds yet. */
  readonly address?: { readonly field: 'email' | 'phone'; readonly value: string };
}

function setGroup(state: BrazeState, groupId: string, value: BrazeGroupState, targets: Targets): void {
  for (const { key, address } of usersFor(state, targets)) {
    state.update(key, (user) => {
      if (address) user[address.field] = address.value;
      user.subscription_groups[groupId] = value;
    });
  }
}

/** Email/phone name every profile holding the address; an unknown address gets an address-only profile. */
function usersFor(state: BrazeState, targets: Targets): Target[] {
  const byAddress = (field: 'email' | 'phone', raw: string): Target[] => {
    const value = field === 'email' ? normalizeEmail(raw) : raw.trim();
    const found = state.usersWith(field, value).map((key) => ({ key }));
    if (found.length > 0) return found;
    return [{ key: { user_alias: { alias_name: value, alias_label: field } }, address: { field, value } }];
  };
  return [
    ...targets.externalIds.map((external_id) => ({ key: { external_id } })),
    ...targets.emails.flatMap((email) => byAddress('email', email)),
    ...targets.phones.flatMap((phone) => byAddress('phone', phone)),
  ];
}

function v1Targets(request: SimRequest, strict: boolean): Targets {
  const body = strict
    ? parseJson(statusSetBody, request)
    : statusSetBody.safeParse(tryJson(request.rawBody)).data;
  return {
    externalIds: asList(body?.external_id),
    emails: asList(body?.email),
    phones: asList(body?.phone),
  };
}

function v2Targets(request: SimRequest): Targets {
  const groups = statusSetV2Body.safeParse(tryJson(request.rawBody)).data?.subscription_groups ?? [];
  return {
    externalIds: groups.flatMap((g) => g.external_ids ?? []),
    emails: groups.flatMap((g) => g.emails ?? []),
    phones: groups.flatMap((g) => g.phones ?? []),
  };
}
