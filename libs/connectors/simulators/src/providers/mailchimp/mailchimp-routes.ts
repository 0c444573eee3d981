import { z } from 'zod';
import { badRequest, notFound, type SimRequest, type SimRoute } from '../../core/provider-definition';
import { parseJson, tryJson } from '../../core/validation';
import {
  subscriberHash,
  type MailchimpMember,
  type MailchimpState,
  type MailchimpStatus,
} from './mailchimp-state';

/** `archived` is a result of DELETE, never a status a client may set. */
const settable = z.enum(['subscribed', 'unsubscribed', 'cleaned', 'pending', 'transactional']);
const mergeFields = z.record(z.unknown());
const upsertBody = z.object({
  email_address: z.string().email(),
  status_if_new: settable.optional(),
  status: settable.optional(),
  merge_fields: mergeFields.optional(),
});
const patchBody = z.object({
  email_address: z.string().email().optional(),
  status: settable.optional(),
  merge_fields: mergeFields.optional(),
});

const MEMBER = '/lists/:listId/members/:hash';

const target = (request: SimRequest) => ({
  listId: request.params['listId'] ?? '',
  hash: (request.params['hash'] ?? '').toLowerCase(),
});

/** The member the path names must be the member the body names: a wrong hash is a client bug. */
function checkHash(hash: string, email: string | undefined): void {
  if (email !== undefined && subscriberHash(email) !== hash) {
    throw badRequest(
      `The subscriber hash in the URL (${hash}) is not the MD5 of the lower-cased email_address (${subscriberHash(email)}).`,
    );
  }
}

const existing = (state: MailchimpState, request: SimRequest): MailchimpMember => {
  const { listId, hash } = target(request);
  const member = state.byHash(listId, hash);
  if (!member) throw notFound('The requested resource could not be found.');
  return member;
};

const memberContacts = (state: MailchimpState) => (request: SimRequest) => {
  const { listId, hash } = target(request);
  const email = state.byHash(listId, hash)?.email_address ?? emailInBody(request.rawBody);
  return { emails: email ? [email] : [] };
};

function emailInBody(raw: string): string | undefined {
  const value = tryJson(raw);
  const email =
    typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)['email_address']
      : undefined;
  return typeof email === 'string' ? email : undefined;
}

/** Marketing API 3.0 list members (MC-MEM): upsert, update, read, permanent delete. */
export function mailchimpRoutes(state: MailchimpState): SimRoute[] {
  const contacts = memberContacts(state);
  return [
    {
      method: 'GET',
      url: MEMBER,
      contacts,
      handle: (request) => ({ status: 200, body: existing(state, request) }),
    },
    {
      method: 'PUT',
      url: MEMBER,
      contacts,
      handle: (request, ctx) => {
        const { listId, hash } = target(request);
        const body = parseJson(upsertBody, request);
        checkHash(hash, body.email_address);
        const previous = state.byHash(listId, hash);
        const status = upsertStatus(previous, body.status, body.status_if_new);
        const member = state.write(
          listId,
          body.email_address,
          { status, merge_fields: body.merge_fields },
          ctx.now,
        );
        return { status: 200, body: member };
      },
    },
    {
      method: 'PATCH',
      url: MEMBER,
      contacts,
      handle: (request, ctx) => {
        const previous = existing(state, request);
        const body = parseJson(patchBody, request);
        checkHash(target(request).hash, body.email_address);
        const change = { status: body.status ?? previous.status, merge_fields: body.merge_fields };
        return { status: 200, body: state.write(previous.list_id, previous.email_address, change, ctx.now) };
      },
    },
    {
      method: 'POST',
      url: `${MEMBER}/actions/delete-permanent`,
      contacts,
      handle: (request) => {
        const member = existing(state, request);
        state.remove(member.list_id, member.id);
        return { status: 204 };
      },
    },
  ];
}

/** PUT: `status` applies to an existing member, `status_if_new` is required to create one. */
function upsertStatus(
  previous: MailchimpMember | undefined,
  status: MailchimpStatus | undefined,
  statusIfNew: MailchimpStatus | undefined,
): MailchimpStatus {
  if (previous) return status ?? previous.status;
  const initial = statusIfNew ?? status;
  if (initial === undefined) {
    throw badRequest(
      'The resource submitted could not be validated: status_if_new is required for a new member.',
    );
  }
  return statusIfNew ?? initial;
}
