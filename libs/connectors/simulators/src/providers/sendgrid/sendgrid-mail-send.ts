import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { badRequest, type SimRequest, type SimRoute } from '../../core/provider-definition';
import { parseJson, tryJson } from '../../core/validation';
import type { SendgridState } from './sendgrid-state';

/**
 * v3 Mail Send, `POST /v3/mail/send` (SG-MAIL in docs/providers.md): the request is validated the way
 * SendGrid documents it, answered 202 with an empty body and an `X-Message-Id`, and each message is
 * recorded per recipient — delivered, or dropped because the address is on the global unsubscribe list.
 */
const address = z.object({ email: z.string().email(), name: z.string().optional() }).strict();
const headers = z.record(z.string(), z.string());

const personalization = z
  .object({
    to: z.array(address).min(1, 'The to array is required for all personalization objects'),
    cc: z.array(address).optional(),
    bcc: z.array(address).optional(),
    subject: z.string().min(1).optional(),
    headers: headers.optional(),
    custom_args: z.record(z.string(), z.string()).optional(),
    send_at: z.number().int().optional(),
  })
  .passthrough();

const mailSend = z
  .object({
    personalizations: z
      .array(personalization)
      .min(1, 'You must have at least one personalization')
      .max(1000, 'The personalization block is limited to 1000 personalizations per API request'),
    from: address,
    reply_to: address.optional(),
    subject: z.string().min(1).optional(),
    content: z
      .array(
        z.object({
          type: z.string().min(1),
          value: z.string().min(1, 'The content value must be a string at least one character in length'),
        }),
      )
      .min(1)
      .optional(),
    template_id: z.string().optional(),
    headers: headers.optional(),
    custom_args: z.record(z.string(), z.string()).optional(),
    categories: z.array(z.string()).max(10).optional(),
    asm: z
      .object({ group_id: z.number().int(), groups_to_display: z.array(z.number()).optional() })
      .optional(),
    mail_settings: z
      .object({
        bypass_list_management: z.object({ enable: z.boolean() }).optional(),
        bypass_unsubscribe_management: z.object({ enable: z.boolean() }).optional(),
        sandbox_mode: z.object({ enable: z.boolean() }).optional(),
      })
      .passthrough()
      .optional(),
    tracking_settings: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough();

type MailSend = z.infer<typeof mailSend>;

/** Headers SendGrid sets itself; a request that sets one is refused (SG-MAIL). */
const RESERVED_HEADERS = new Set([
  'x-sg-id',
  'x-sg-eid',
  'received',
  'dkim-signature',
  'content-type',
  'content-transfer-encoding',
  'to',
  'from',
  'subject',
  'reply-to',
  'cc',
  'bcc',
]);

/** The rules of SendGrid's Mail Send errors page that a schema cannot express. */
function checkMessage(mail: MailSend): void {
  const recipients = mail.personalizations.flatMap((p) => [...p.to, ...(p.cc ?? []), ...(p.bcc ?? [])]);
  if (recipients.length > 1000)
    throw badRequest('There is a limit of 1000 total recipients (to + cc + bcc) per request.');
  mail.personalizations.forEach((p, i) => {
    const seen = new Set<string>();
    for (const r of [...p.to, ...(p.cc ?? []), ...(p.bcc ?? [])]) {
      const email = r.email.toLowerCase();
      if (seen.has(email))
        throw badRequest(
          `personalizations.${i}: Each email address in the personalization block should be unique between to, cc, and bcc.`,
        );
      seen.add(email);
    }
    if (mail.subject === undefined && p.subject === undefined && mail.template_id === undefined)
      throw badRequest(`personalizations.${i}.subject: The subject is required`);
    for (const name of Object.keys(p.headers ?? {})) reserved(name, `personalizations.${i}.headers`);
  });
  for (const name of Object.keys(mail.headers ?? {})) reserved(name, 'headers');
  if (mail.content === undefined && mail.template_id === undefined)
    throw badRequest('content: Unless a valid template_id is provided, the content parameter is required.');
  const plain = mail.content?.findIndex((c) => c.type === 'text/plain') ?? -1;
  if (plain > 0)
    throw badRequest('content: If present, text/plain must be first, followed by any other types.');
  const settings = mail.mail_settings ?? {};
  if (settings.bypass_list_management?.enable && settings.bypass_unsubscribe_management?.enable)
    throw badRequest(
      'mail_settings: bypass_list_management cannot be combined with bypass_unsubscribe_management',
    );
}

function reserved(name: string, field: string): void {
  if (RESERVED_HEADERS.has(name.toLowerCase()))
    throw badRequest(`${field}: The header ${name} is reserved and cannot be set`);
}

const recipientsOf = (request: SimRequest) => {
  const parsed = mailSend.safeParse(tryJson(request.rawBody));
  return {
    emails: parsed.success ? parsed.data.personalizations.flatMap((p) => p.to.map((t) => t.email)) : [],
  };
};

export function mailSendRoute(state: SendgridState): SimRoute {
  return {
    method: 'POST',
    url: '/v3/mail/send',
    contacts: recipientsOf,
    handle: (request, ctx) => {
      if (!(request.headers['content-type'] ?? '').toLowerCase().startsWith('application/json'))
        throw badRequest('Content-Type should be application/json.');
      const mail = parseJson(mailSend, request);
      checkMessage(mail);
      const messageId = randomBytes(16).toString('base64url');
      if (!mail.mail_settings?.sandbox_mode?.enable) state.recordMail(messageId, mail, ctx.now);
      return { status: 202, headers: { 'x-message-id': messageId } };
    },
  };
}
