import { z } from 'zod';
import { badRequest, notFound, type SimRequest, type SimRoute } from '../../core/provider-definition';
import { parseJson, tryJson } from '../../core/validation';
import { mailSendRoute } from './sendgrid-mail-send';
import type { SendgridState } from './sendgrid-state';

const recipientEmails = z.object({ recipient_emails: z.array(z.string().email()).min(1) });
const newGroup = z.object({
  name: z.string().min(1).max(30),
  description: z.string().max(100).optional(),
  is_default: z.boolean().optional(),
});

const groupId = (request: SimRequest): number => {
  const id = Number(request.params['groupId']);
  if (!Number.isInteger(id) || id <= 0) throw badRequest('group_id must be a positive integer');
  return id;
};
/**
 * An unsubscribe group of the account, or SendGrid's 404 `resource not found` (SG-GRP): a group must be
 * created on the account before anything is suppressed in it.
 */
const existingGroupId = (state: SendgridState, request: SimRequest): number => {
  const id = groupId(request);
  if (!state.hasGroup(id)) throw notFound('resource not found');
  return id;
};
const emailParam = (request: SimRequest) => ({ emails: [request.params['email'] ?? ''] });
const bodyEmails = (request: SimRequest) => {
  const parsed = recipientEmails.safeParse(tryJson(request.rawBody));
  return { emails: parsed.success ? parsed.data.recipient_emails : [] };
};

/** The Suppressions API paths our SendGrid adapter uses (SG-OAI), under `/v3/asm`, and Mail Send (SG-MAIL). */
export function sendgridRoutes(state: SendgridState): SimRoute[] {
  return [
    mailSendRoute(state),
    {
      method: 'POST',
      url: '/v3/asm/suppressions/global',
      contacts: bodyEmails,
      handle: (request) => {
        const { recipient_emails } = parseJson(recipientEmails, request);
        state.suppressGlobally(recipient_emails);
        return { status: 201, body: { recipient_emails } };
      },
    },
    {
      method: 'GET',
      url: '/v3/asm/suppressions/global/:email',
      contacts: emailParam,
      handle: (request) => {
        const email = request.params['email'] ?? '';
        return { status: 200, body: state.isGloballySuppressed(email) ? { recipient_email: email } : {} };
      },
    },
    {
      method: 'DELETE',
      url: '/v3/asm/suppressions/global/:email',
      contacts: emailParam,
      handle: (request) => {
        state.unsuppressGlobally(request.params['email'] ?? '');
        return { status: 204 };
      },
    },
    ...groupRoutes(state),
  ];
}

function groupRoutes(state: SendgridState): SimRoute[] {
  return [
    {
      method: 'GET',
      url: '/v3/asm/groups',
      handle: () => ({ status: 200, body: state.listGroups().map(groupBody) }),
    },
    {
      method: 'POST',
      url: '/v3/asm/groups',
      handle: (request) => {
        const body = parseJson(newGroup, request);
        const id = Math.max(0, ...state.listGroups().map((g) => g.id)) + 1;
        const group = state.addGroup(id, body.name, body.description ?? '', body.is_default ?? false);
        return { status: 201, body: groupBody(group) };
      },
    },
    {
      method: 'POST',
      url: '/v3/asm/groups/:groupId/suppressions',
      contacts: bodyEmails,
      handle: (request) => {
        const id = existingGroupId(state, request);
        const { recipient_emails } = parseJson(recipientEmails, request);
        state.suppressInGroup(id, recipient_emails);
        return { status: 201, body: { recipient_emails } };
      },
    },
    {
      method: 'GET',
      url: '/v3/asm/groups/:groupId/suppressions',
      handle: (request) => ({ status: 200, body: state.groupSuppressions(existingGroupId(state, request)) }),
    },
    {
      method: 'DELETE',
      url: '/v3/asm/groups/:groupId/suppressions/:email',
      contacts: emailParam,
      handle: (request) => {
        state.unsuppressInGroup(existingGroupId(state, request), request.params['email'] ?? '');
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      url: '/v3/asm/suppressions/:email',
      contacts: emailParam,
      handle: (request) => {
        const email = request.params['email'] ?? '';
        const suppressions = state.listGroups().map((g) => ({
          ...groupBody(g),
          suppressed: state.isSuppressedInGroup(g.id, email),
        }));
        return { status: 200, body: { suppressions } };
      },
    },
  ];
}

const groupBody = (g: { id: number; name: string; description: string; isDefault: boolean }) => ({
  id: g.id,
  name: g.name,
  description: g.description,
  is_default: g.isDefault,
});
