import { badRequest, type SimRoute } from '../../core/provider-definition';
import { parseJson, tryJson } from '../../core/validation';
import { deleteBody, exportBody } from './braze-schemas';
import type { BrazeState, BrazeUser, BrazeUserKey } from './braze-state';

/** Erasure (`/users/delete`) and the audit read (`/users/export/ids`). */
export function brazeUserRoutes(state: BrazeState): SimRoute[] {
  return [
    {
      method: 'POST',
      url: '/users/delete',
      contacts: (request) => ({
        externalIds: deleteBody.safeParse(tryJson(request.rawBody)).data?.external_ids ?? [],
      }),
      handle: (request) => {
        const body = parseJson(deleteBody, request);
        const keys: BrazeUserKey[] = [
          ...(body.external_ids ?? []).map((external_id) => ({ external_id })),
          ...(body.braze_ids ?? []).map((braze_id) => ({ braze_id })),
          ...(body.user_aliases ?? []).map((user_alias) => ({ user_alias })),
        ];
        if (keys.length === 0) throw badRequest('external_ids, braze_ids or user_aliases is required');
        const deleted = keys.filter((key) => state.delete(key)).length;
        // Deletion is asynchronous at Braze; it answers with what it queued. ASSUMPTION: 202 like the docs' example.
        return { status: 202, body: { deleted, message: 'success' } };
      },
    },
    {
      method: 'POST',
      url: '/users/export/ids',
      handle: (request) => {
        const body = parseJson(exportBody, request);
        const ids = body.external_ids ?? [];
        if (ids.length === 0) throw badRequest('external_ids is required by this simulator');
        const found = ids.map((id) => state.user(id)).filter((u): u is BrazeUser => u !== undefined);
        const invalid = ids.filter((id) => state.user(id) === undefined);
        return {
          status: 201,
          body: {
            users: found.map(exportUser),
            ...(invalid.length > 0 ? { invalid_user_ids: invalid } : {}),
            message: 'success',
          },
        };
      },
    },
  ];
}

/** The export shape: profile fields at top level, custom attributes under `custom_attributes`. */
function exportUser(user: BrazeUser): Record<string, unknown> {
  return {
    external_id: user.external_id,
    braze_id: user.braze_id,
    user_aliases: user.user_aliases,
    email: user.email,
    phone: user.phone,
    email_subscribe: user.email_subscribe,
    push_subscribe: user.push_subscribe,
    subscription_groups: Object.entries(user.subscription_groups).map(([id, status]) => ({
      id,
      status: status === 'subscribed' ? 'Subscribed' : 'Unsubscribed',
    })),
    custom_attributes: user.custom_attributes,
  };
}
