import { z } from 'zod';
import {
  badRequest,
  notFound,
  type SimRequest,
  type SimResponse,
  type SimRoute,
} from '../../core/provider-definition';
import { problem } from './mailchimp-errors';
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
/** Interest id (10 hex characters) → member is in the group or not (MC-MEM). */
const interests = z.record(z.string().regex(/^[0-9a-f]{10}$/), z.boolean());
const upsertBody = z.object({
  email_address: z.string().email(),
  status_if_new: settable.optional(),
  status: settable.optional(),
  merge_fields: mergeFields.optional(),
  interests: interests.optional(),
});
const patchBody = z.object({
  email_address: z.string().email().optional(),
  status: settable.optional(),
  merge_fields: mergeFields.optional(),
  interests: interests.optional(),
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
        const refused = complianceRefusal(previous, status);
        if (refused) return refused;
        const member = state.write(
          listId,
          body.email_address,
          { status, merge_fields: body.merge_fields, interests: body.interests },
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
        const change = {
          status: body.status ?? previous.status,
          merge_fields: body.merge_fields,
          interests: body.interests,
        };
        const refused = complianceRefusal(previous, change.status);
        if (refused) return refused;
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

/**
 * A member who unsubscribed (or was cleaned) is in a "compliance state": the API refuses to make them
 * `subscribed` again (400 "Member In Compliance State"); `pending` is accepted and Mailchimp sends its
 * own confirmation email (docs/providers.md, MC-COMP).
 */
function complianceRefusal(
  previous: MailchimpMember | undefined,
  next: MailchimpStatus,
): SimResponse | undefined {
  const inCompliance = previous?.status === 'unsubscribed' || previous?.status === 'cleaned';
  if (!inCompliance || next !== 'subscribed') return undefined;
  return problem(
    400,
    'Member In Compliance State',
    `${previous.email_address} is in a compliance state due to unsubscribe, bounce, or compliance review and cannot be subscribed.`,
  );
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
