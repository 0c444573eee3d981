import { z } from 'zod';

/**
 * The topic catalogue: what a person can subscribe to inside a channel, and how each channel platform
 * represents it. Consent with no topic is about the whole channel. Documented in docs/consent-model.md.
 */
const TOPIC_ID = /^[a-z][a-z0-9-]{0,62}$/;
const CHANNELS = ['email', 'sms', 'push'] as const;
export type TopicChannel = (typeof CHANNELS)[number];

const providers = z
  .object({
    /** SendGrid unsubscribe group (ASM group) id: `asm_group_id` in events, `/v3/asm/groups/{id}`. */
    sendgrid: z.object({ unsubscribeGroupId: z.number().int().positive() }).strict().optional(),
    /** Mailchimp: an interest (group) id of the audience, or a tag name. */
    mailchimp: z
      .union([
        z
          .object({
            interestId: z.string().regex(/^[0-9a-f]{10}$/, 'a 10-character hex interest id'),
            /** The interest's name in the audience: Mailchimp's webhooks name interests, never by id. */
            interestName: z.string().min(1).max(100).optional(),
          })
          .strict(),
        z.object({ tag: z.string().min(1).max(100) }).strict(),
      ])
      .optional(),
    /** Braze subscription group id (a UUID from the dashboard). */
    braze: z.object({ subscriptionGroupId: z.string().uuid() }).strict().optional(),
    /** Attentive subscription type. */
    attentive: z
      .object({ subscriptionType: z.enum(['MARKETING', 'TRANSACTIONAL']) })
      .strict()
      .optional(),
    /** OneSignal data tag key on the user (value "1" subscribed, removed when not). */
    onesignal: z
      .object({ tag: z.string().regex(/^[A-Za-z0-9_]{1,128}$/, 'letters, digits and _') })
      .strict()
      .optional(),
  })
  .strict();

const topic = z
  .object({
    id: z.string().regex(TOPIC_ID, 'lower-case letters, digits and -, starting with a letter'),
    name: z.string().min(1),
    channels: z.array(z.enum(CHANNELS)).min(1),
    purpose: z.enum(['marketing', 'transactional', 'informational']),
    defaultLegalBasis: z.enum(['consent', 'legitimate_interest', 'contract', 'legal_obligation']),
    providers,
  })
  .strict();

const catalogueSchema = z.object({ version: z.number().int().positive(), topics: z.array(topic) }).strict();

export type ConsentTopic = z.infer<typeof topic>;
export type ProviderName = keyof ConsentTopic['providers'];

export interface TopicCatalogue {
  readonly version: number;
  readonly topics: readonly ConsentTopic[];
}

/** Which channel each platform's representation belongs to (Braze holds every channel). */
const PROVIDER_CHANNELS: Readonly<Record<ProviderName, readonly TopicChannel[]>> = {
  sendgrid: ['email'],
  mailchimp: ['email'],
  braze: CHANNELS,
  attentive: ['sms'],
  onesignal: ['push'],
};

export type CatalogueResult =
  | { readonly ok: true; readonly catalogue: TopicCatalogue }
  | { readonly ok: false; readonly problems: readonly string[] };

/** Validates a parsed catalogue document; every problem is listed, with the path of the bad value. */
export function parseTopicCatalogue(input: unknown): CatalogueResult {
  const parsed = catalogueSchema.safeParse(input);
  if (!parsed.success)
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    };
  const problems = crossChecks(parsed.data.topics);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, catalogue: parsed.data };
}

function crossChecks(topics: readonly ConsentTopic[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const claim = (key: string, owner: string, what: string): void => {
    const previous = seen.get(key);
    if (previous !== undefined) problems.push(`${owner}: ${what} is also used by topic ${previous}`);
    else seen.set(key, owner);
  };
  for (const entry of topics) {
    claim(`id:${entry.id}`, entry.id, 'the id');
    for (const [name, value] of Object.entries(entry.providers)) {
      if (value === undefined) continue;
      const provider = name as ProviderName;
      if (!PROVIDER_CHANNELS[provider].some((channel) => entry.channels.includes(channel)))
        problems.push(`${entry.id}: ${provider} has no channel in [${entry.channels.join(', ')}]`);
      // An incoming event names the platform's representation; it must lead back to ONE topic.
      claim(`${provider}:${JSON.stringify(value)}`, entry.id, `${provider} ${JSON.stringify(value)}`);
    }
    // A Mailchimp webhook names an interest, the API writes it by id: each must lead back to one topic.
    const mailchimp = entry.providers.mailchimp;
    if (mailchimp !== undefined && 'interestId' in mailchimp) {
      claim(`mailchimp-id:${mailchimp.interestId}`, entry.id, `mailchimp interest ${mailchimp.interestId}`);
      if (mailchimp.interestName !== undefined)
        claim(
          `mailchimp-name:${mailchimp.interestName}`,
          entry.id,
          `mailchimp interest "${mailchimp.interestName}"`,
        );
    }
  }
  return problems;
}

/** Lookups the gateway, the projector and the connectors need; built once from a valid catalogue. */
export class TopicIndex {
  private readonly byId: ReadonlyMap<string, ConsentTopic>;
  private readonly bySendgridGroup: ReadonlyMap<number, ConsentTopic>;

  constructor(readonly catalogue: TopicCatalogue) {
    this.byId = new Map(catalogue.topics.map((t) => [t.id, t]));
    this.bySendgridGroup = new Map(
      catalogue.topics.flatMap((t) =>
        t.providers.sendgrid === undefined ? [] : [[t.providers.sendgrid.unsubscribeGroupId, t] as const],
      ),
    );
  }

  topic(id: string): ConsentTopic | undefined {
    return this.byId.get(id);
  }

  /** Whether `id` is a topic of `channel`. */
  covers(id: string, channel: string): boolean {
    return this.byId.get(id)?.channels.includes(channel as TopicChannel) ?? false;
  }

  /** The topic a SendGrid unsubscribe group stands for. */
  sendgridGroup(groupId: number): ConsentTopic | undefined {
    return this.bySendgridGroup.get(groupId);
  }

  /** Each topic a named Mailchimp interest represents, with that name (how webhooks spell interests). */
  mailchimpInterestNames(): readonly { readonly topic: string; readonly name: string }[] {
    return this.catalogue.topics.flatMap((t) => {
      const m = t.providers.mailchimp;
      return m !== undefined && 'interestId' in m && m.interestName !== undefined
        ? [{ topic: t.id, name: m.interestName }]
        : [];
    });
  }

  /** The topic a Mailchimp interest id or tag stands for. */
  mailchimp(interestIdOrTag: string): ConsentTopic | undefined {
    return this.catalogue.topics.find((t) => {
      const m = t.providers.mailchimp;
      return m !== undefined && ('interestId' in m ? m.interestId : m.tag) === interestIdOrTag;
    });
  }
}
