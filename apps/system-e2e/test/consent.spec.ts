import { randomBytes } from 'node:crypto';
import { waitFor } from '@optstream/testing';
import { LOCAL_BRAZE_SMS_GROUP_ID, LOCAL_MAILCHIMP_LIST_ID } from '@optstream/local-system';
import { WebhookSender } from '@optstream/provider-simulators';
import { runCli } from './cli';
import { newId, newPerson, subscribedEverywhere, type Person } from './contacts';
import { SystemHarness, type HistoryEntry } from './system-harness';

jest.setTimeout(600_000);

/** The newsletter topic of the versioned catalogue (libs/shared/consent-topics/consent-topics.json). */
const NEWSLETTER = {
  id: 'newsletter',
  sendgridGroup: 42,
  mailchimpInterest: 'a1b2c3d4e5',
  brazeGroup: '5a7e1f0c-3b2d-4c9e-8f1a-6d0b2e4c8a10',
};

/** A browser's write key: public, so not listed in SEGMENT_SERVER_SOURCES (docs/consent-model.md). */
const BROWSER_WRITE_KEY = `wk_browser_${randomBytes(6).toString('hex')}`;

/**
 * The seven cases the consent model was built for (docs/consent-model.md, "How it is proved"), each
 * through the whole system:
 * signed webhooks and Segment calls into the gateway, real Kafka, registry and PostgreSQL, every service
 * as its own process, the strict provider simulators as the platforms. Each case checks the read model,
 * the evidence the history holds (read API and `optstream history`, which reads the log) and what every
 * platform holds.
 */
describe('consent model end to end: the seven cases of docs/consent-model.md', () => {
  const h = new SystemHarness();
  let browser: WebhookSender;

  beforeAll(async () => {
    await h.start({
      'ingestion-gateway': {
        SEGMENT_WRITE_KEYS: `${h.secrets.SEGMENT_WRITE_KEYS},${BROWSER_WRITE_KEY}=website`,
      },
    });
    // The operator's SendGrid account has the catalogue's unsubscribe group (SendGrid files an address
    // for an unknown group on the global list instead: docs/providers.md).
    await h.simulators.addSendgridGroup(NEWSLETTER.sendgridGroup, 'Weekly newsletter');
    browser = new WebhookSender({ gatewayUrl: h.gatewayUrl, segmentWriteKey: BROWSER_WRITE_KEY });
  });
  afterAll(() => h.stop());

  const seconds = (ms: number): number => Math.floor(ms / 1000);

  async function sendgrid(
    person: Person,
    event: string,
    extra: Record<string, unknown> = {},
    atMs = Date.now(),
  ) {
    const answer = await h.webhooks.sendgrid([
      {
        email: person.email,
        timestamp: seconds(atMs),
        event,
        sg_event_id: `e2e-${newId()}`,
        sg_message_id: `msg-${newId()}`,
        ...extra,
      },
    ]);
    expect(answer.status).toBe(200);
  }

  /** Waits until the read API's history holds an entry matching `match`, and returns it. */
  async function historyEntry(
    person: Person,
    description: string,
    match: (e: HistoryEntry) => boolean,
  ): Promise<HistoryEntry> {
    return waitFor(async () => (await h.history(person.externalId)).events.find(match) ?? null, {
      timeoutMs: 30_000,
      description,
    });
  }

  /** `optstream history --contact … --format json`: the log itself, as an auditor reads it. */
  function logHistory(person: Person): HistoryEntry[] {
    const cli = runCli(['history', '--contact', person.externalId, '--format', 'json', '--quiet'], {
      KAFKA_BROKERS: h.kafka.KAFKA_BROKERS.join(','),
      SCHEMA_REGISTRY_URL: h.kafka.SCHEMA_REGISTRY_URL,
    });
    expect({ status: cli.status, stderr: cli.stderr.slice(-500) }).toMatchObject({ status: 0 });
    return cli.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as HistoryEntry);
  }

  /** A later effective change of the same contact (push off) has reached Braze: everything before it has too. */
  async function barrier(person: Person): Promise<void> {
    const answer = await h.webhooks.segmentTrack({
      userId: person.externalId,
      event: 'Marketing Preference Updated',
      timestamp: new Date().toISOString(),
      properties: { channel: 'push', new_status: 'unsubscribed', source_of_change: 'Mobile App Settings' },
    });
    expect(answer.status).toBe(200);
    await waitFor(
      async () => (await h.simulators.brazeUser(person.externalId))?.push_subscribe === 'unsubscribed',
      { timeoutMs: 30_000, description: 'barrier (push off) delivered to Braze' },
    );
  }

  /** Email is opted out at every platform that holds the person's email. */
  async function emailOptedOutEverywhere(person: Person): Promise<boolean> {
    const [suppressed, braze, mailchimp, onesignal] = await Promise.all([
      h.simulators.isGloballySuppressed(person.email),
      h.simulators.brazeUser(person.externalId),
      h.simulators.mailchimpMember(LOCAL_MAILCHIMP_LIST_ID, person.email),
      h.simulators.onesignalUser(person.externalId),
    ]);
    return (
      suppressed &&
      braze?.email_subscribe === 'unsubscribed' &&
      mailchimp?.status === 'unsubscribed' &&
      onesignal?.subscriptions.find((s) => s.type === 'Email')?.enabled === false
    );
  }

  const emailStatus = async (person: Person) => (await h.contact(person.externalId))?.channels.email?.status;

  it.each([
    ['unsubscribe', 'unsubscribe_link'],
    ['spamreport', 'spam_report'],
  ])(
    'case 1: a group resubscribe after a global %s is recorded for its topic and lifts the global suppression nowhere',
    async (globalEvent, kind) => {
      const person = await subscribedEverywhere(h, `case1-${globalEvent}`);
      await sendgrid(person, globalEvent, {}, Date.now() - 2000);
      await waitFor(() => emailOptedOutEverywhere(person), {
        timeoutMs: 30_000,
        description: `${globalEvent}: email opted out everywhere`,
      });

      await sendgrid(person, 'group_resubscribe', { asm_group_id: NEWSLETTER.sendgridGroup });
      const resubscribe = await historyEntry(
        person,
        'the group resubscribe in the history',
        (e) => e.topic === NEWSLETTER.id,
      );
      expect(resubscribe).toMatchObject({
        channel: 'email',
        status: 'subscribed',
        effect: 'changed',
        evidence: { strength: 'explicit', kind: 'group_resubscribe', trust: 'server' },
      });
      // Braze keeps the group's own choice (its global state overrides groups): proof the state arrived.
      await waitFor(
        async () =>
          (await h.simulators.brazeUser(person.externalId))?.subscription_groups[NEWSLETTER.brazeGroup] ===
          'subscribed',
        { timeoutMs: 30_000, description: 'the topic choice reached Braze' },
      );
      await barrier(person);

      expect(await emailStatus(person)).toBe('unsubscribed');
      expect(await emailOptedOutEverywhere(person)).toBe(true);
      const mailchimp = await h.simulators.mailchimpMember(LOCAL_MAILCHIMP_LIST_ID, person.email);
      // Mailchimp is given the topic's effective status: unsubscribed while the channel is.
      expect(mailchimp?.interests[NEWSLETTER.mailchimpInterest]).not.toBe(true);

      const log = logHistory(person);
      expect(
        log.filter((e) => e.channel === 'email').map((e) => [e.topic, e.status, e.evidence?.kind]),
      ).toEqual(
        expect.arrayContaining([
          [null, 'unsubscribed', kind],
          [NEWSLETTER.id, 'subscribed', 'group_resubscribe'],
        ]),
      );
    },
  );

  it('case 2: a group unsubscribe stays a topic opt-out on every platform', async () => {
    const person = await subscribedEverywhere(h, 'case2');
    await sendgrid(person, 'group_unsubscribe', { asm_group_id: NEWSLETTER.sendgridGroup });

    await waitFor(
      async () => {
        const [group, braze, mailchimp] = await Promise.all([
          h.simulators.sendgridGroupSuppressions(NEWSLETTER.sendgridGroup),
          h.simulators.brazeUser(person.externalId),
          h.simulators.mailchimpMember(LOCAL_MAILCHIMP_LIST_ID, person.email),
        ]);
        return (
          group.includes(person.email) &&
          braze?.subscription_groups[NEWSLETTER.brazeGroup] === 'unsubscribed' &&
          mailchimp?.interests[NEWSLETTER.mailchimpInterest] === false
        );
      },
      { timeoutMs: 30_000, description: 'the newsletter opt-out at SendGrid, Braze and Mailchimp' },
    );
    // The rest of email stays subscribed everywhere.
    expect(await h.simulators.isGloballySuppressed(person.email)).toBe(false);
    const braze = await h.simulators.brazeUser(person.externalId);
    expect(braze?.email_subscribe).toBe('opted_in');
    expect((await h.simulators.mailchimpMember(LOCAL_MAILCHIMP_LIST_ID, person.email))?.status).toBe(
      'subscribed',
    );
    expect(
      (await h.simulators.onesignalUser(person.externalId))?.subscriptions.find((s) => s.type === 'Email')
        ?.enabled,
    ).toBe(true);
    expect(await emailStatus(person)).toBe('subscribed');

    const entry = await historyEntry(
      person,
      'the group unsubscribe in the history',
      (e) => e.topic === NEWSLETTER.id,
    );
    expect(entry).toMatchObject({
      status: 'unsubscribed',
      effect: 'changed',
      evidence: { strength: 'explicit', kind: 'group_unsubscribe', trust: 'server' },
    });
    expect(logHistory(person).find((e) => e.eventId === entry.eventId)).toMatchObject({
      topic: NEWSLETTER.id,
      status: 'unsubscribed',
      evidence: { kind: 'group_unsubscribe' },
    });
  });

  it('case 3: identify traits still saying subscribed, newer than an unsubscribe click, do not re-subscribe', async () => {
    const person = await subscribedEverywhere(h, 'case3');
    const clickedAt = Date.now() - 5000;
    await sendgrid(person, 'unsubscribe', {}, clickedAt);
    await waitFor(() => emailOptedOutEverywhere(person), {
      timeoutMs: 30_000,
      description: 'unsubscribe click: email opted out everywhere',
    });

    // The app resends its cached traits on the next identify, after the click.
    const answer = await h.webhooks.segmentIdentify({
      userId: person.externalId,
      timestamp: new Date(clickedAt + 3000).toISOString(),
      sentAt: null,
      traits: { email: person.email, email_subscribed_status: 'subscribed' },
    });
    expect(answer.status).toBe(200);
    const stale = await historyEntry(
      person,
      'the stale trait in the history',
      (e) =>
        e.channel === 'email' &&
        e.status === 'subscribed' &&
        e.evidence?.kind === 'identify_traits' &&
        e.occurredAt === new Date(clickedAt + 3000).toISOString(),
    );
    expect(stale.effect).toBe('older');
    expect(stale.evidence).toMatchObject({ strength: 'snapshot' });
    await barrier(person);

    expect(await emailStatus(person)).toBe('unsubscribed');
    expect(await emailOptedOutEverywhere(person)).toBe(true);
    const log = logHistory(person).find((e) => e.eventId === stale.eventId);
    expect(log).toMatchObject({
      effect: 'older',
      evidence: { strength: 'snapshot', kind: 'identify_traits' },
    });
  });

  it('case 4: a far-future occurredAt is clamped to its receipt (original kept) and a later STOP wins', async () => {
    const person = await subscribedEverywhere(h, 'case4');
    const stop = async () => {
      const answer = await h.webhooks.twilioSms({ from: person.phone, to: '+18005550100', body: 'STOP' });
      expect(answer.status).toBe(200);
    };
    await stop();
    await waitFor(
      async () =>
        (await h.simulators.brazeUser(person.externalId))?.subscription_groups[LOCAL_BRAZE_SMS_GROUP_ID] ===
        'unsubscribed',
      { timeoutMs: 30_000, description: 'first STOP delivered' },
    );

    // A sender whose clock says 2099.
    const sentBefore = Date.now();
    const future = await h.webhooks.segmentTrack({
      userId: person.externalId,
      event: 'Marketing Preference Updated',
      timestamp: '2099-01-01T00:00:00.000Z',
      sentAt: null,
      properties: { channel: 'sms', new_status: 'subscribed', source_of_change: 'Preference Center' },
    });
    expect(future.status).toBe(200);
    const clamped = await historyEntry(
      person,
      'the future-dated opt-in in the history',
      (e) => e.originalOccurredAt !== null,
    );
    expect(clamped).toMatchObject({
      channel: 'sms',
      status: 'subscribed',
      effect: 'changed',
      originalOccurredAt: '2099-01-01T00:00:00.000Z',
    });
    expect(Date.parse(clamped.occurredAt)).toBeGreaterThanOrEqual(sentBefore - 1000);
    expect(Date.parse(clamped.occurredAt)).toBeLessThanOrEqual(Date.now());
    await waitFor(
      async () =>
        (await h.simulators.brazeUser(person.externalId))?.subscription_groups[LOCAL_BRAZE_SMS_GROUP_ID] ===
        'subscribed',
      { timeoutMs: 30_000, description: 'the (clamped) opt-in delivered' },
    );

    await stop();
    await waitFor(
      async () => {
        const [braze, attentive, onesignal, mailchimp] = await Promise.all([
          h.simulators.brazeUser(person.externalId),
          h.simulators.attentiveSubscriptions(person.phone),
          h.simulators.onesignalUser(person.externalId),
          h.simulators.mailchimpMember(LOCAL_MAILCHIMP_LIST_ID, person.email),
        ]);
        return (
          braze?.subscription_groups[LOCAL_BRAZE_SMS_GROUP_ID] === 'unsubscribed' &&
          attentive.some((s) => s.channel === 'TEXT' && s.status === 'UNSUBSCRIBED') &&
          onesignal?.subscriptions.find((s) => s.type === 'SMS')?.enabled === false &&
          mailchimp?.merge_fields['SMSSTATUS'] === 'unsubscribed'
        );
      },
      { timeoutMs: 30_000, description: 'the later STOP won at every platform' },
    );
    const contact = await h.contact(person.externalId);
    expect(contact?.channels.sms).toMatchObject({ status: 'unsubscribed', sourceOfChange: 'SMS STOP Reply' });
    const stops = (await h.history(person.externalId)).events.filter(
      (e) => e.evidence?.kind === 'sms_keyword',
    );
    expect(stops.map((e) => e.effect)).toEqual(['changed', 'changed']);
    expect(logHistory(person).find((e) => e.eventId === clamped.eventId)).toMatchObject({
      originalOccurredAt: '2099-01-01T00:00:00.000Z',
      occurredAt: clamped.occurredAt,
    });
  });

  it('case 5: a browser (public) write key may opt out, but neither opts in nor takes over an address', async () => {
    const person = await subscribedEverywhere(h, 'case5');
    await sendgrid(person, 'unsubscribe');
    await waitFor(() => emailOptedOutEverywhere(person), {
      timeoutMs: 30_000,
      description: 'email opted out everywhere',
    });

    const optIn = await browser.segmentTrack({
      userId: person.externalId,
      event: 'Marketing Preference Updated',
      properties: { channel: 'email', new_status: 'subscribed', source_of_change: 'Website' },
    });
    expect(optIn.status).toBe(200);
    const refused = await historyEntry(
      person,
      'the browser opt-in in the history',
      (e) => e.effect === 'refused',
    );
    expect(refused).toMatchObject({ channel: 'email', status: 'subscribed', evidence: { trust: 'client' } });

    // Someone else identifies with the person's email through the same public key.
    const attacker = newPerson('case5-attacker');
    const takeover = await browser.segmentIdentify({
      userId: attacker.externalId,
      traits: { email: person.email, email_subscribed_status: 'subscribed' },
    });
    expect(takeover.status).toBe(200);
    await waitFor(async () => (await h.contact(attacker.externalId)) !== null, {
      timeoutMs: 30_000,
      description: "the attacker's identify processed",
    });
    await barrier(person);

    expect((await h.lookup('email', person.email))?.externalId).toBe(person.externalId);
    expect((await h.contact(attacker.externalId))?.channels.email?.status).not.toBe('subscribed');
    expect(await emailStatus(person)).toBe('unsubscribed');
    expect(await emailOptedOutEverywhere(person)).toBe(true);
    expect((await h.simulators.brazeUser(attacker.externalId))?.email).not.toBe(person.email);

    // A browser may opt out: SMS off from the website is applied.
    const optOut = await browser.segmentTrack({
      userId: person.externalId,
      event: 'Marketing Preference Updated',
      properties: { channel: 'sms', new_status: 'unsubscribed', source_of_change: 'Website' },
    });
    expect(optOut.status).toBe(200);
    await waitFor(async () => (await h.contact(person.externalId))?.channels.sms?.status === 'unsubscribed', {
      timeoutMs: 30_000,
      description: 'the browser opt-out applied',
    });
    expect(logHistory(person).find((e) => e.eventId === refused.eventId)).toMatchObject({
      effect: 'refused',
      evidence: { trust: 'client' },
    });
  });

  it('case 6: a Mailchimp member who unsubscribed is re-subscribed through pending (Mailchimp confirms)', async () => {
    const person = await subscribedEverywhere(h, 'case6');
    await sendgrid(person, 'unsubscribe', {}, Date.now() - 2000);
    await waitFor(() => emailOptedOutEverywhere(person), {
      timeoutMs: 30_000,
      description: 'email opted out everywhere',
    });

    const optIn = await h.webhooks.segmentTrack({
      userId: person.externalId,
      event: 'Marketing Preference Updated',
      properties: { channel: 'email', new_status: 'subscribed', source_of_change: 'Preference Center' },
    });
    expect(optIn.status).toBe(200);
    await waitFor(
      async () => {
        const [suppressed, braze, mailchimp] = await Promise.all([
          h.simulators.isGloballySuppressed(person.email),
          h.simulators.brazeUser(person.externalId),
          h.simulators.mailchimpMember(LOCAL_MAILCHIMP_LIST_ID, person.email),
        ]);
        return !suppressed && braze?.email_subscribe === 'opted_in' && mailchimp?.status === 'pending';
      },
      { timeoutMs: 30_000, description: 'the re-subscription at SendGrid, Braze and (pending) Mailchimp' },
    );
    // The simulator refused `subscribed` with Mailchimp's compliance-state error before `pending`.
    const memberWrites = (await h.simulators.calls('mailchimp')).filter(
      (c) => c.method !== 'GET' && JSON.stringify(c.body).includes(person.email),
    );
    expect(memberWrites.map((c) => (c.body as { status?: string }).status)).toEqual(
      expect.arrayContaining(['subscribed', 'pending']),
    );
    expect(await emailStatus(person)).toBe('subscribed');
    const entry = await historyEntry(
      person,
      'the opt-in in the history',
      (e) => e.sourceOfChange === 'Preference Center',
    );
    // A Segment track of a preference change carries no strength of its own: unknown reads as explicit.
    expect(entry).toMatchObject({ effect: 'changed', evidence: { trust: 'server' } });
    expect(entry.evidence?.strength).not.toBe('snapshot');
  });

  it('case 7: an identify stamped to the millisecond and an unsubscribe to the second, in the same second → unsubscribed', async () => {
    const person = newPerson('case7');
    await h.simulators.seedOnesignalUser(person.externalId, [{ type: 'Email', token: person.email }]);
    const second = (seconds(Date.now()) - 30) * 1000;
    const identify = await h.webhooks.segmentIdentify({
      userId: person.externalId,
      timestamp: new Date(second + 266).toISOString(),
      sentAt: null,
      traits: { email: person.email, email_subscribed_status: 'subscribed' },
    });
    expect(identify.status).toBe(200);
    await waitFor(
      async () => (await h.simulators.brazeUser(person.externalId))?.email_subscribe === 'opted_in',
      {
        timeoutMs: 60_000,
        description: 'the identify delivered',
      },
    );

    await sendgrid(person, 'unsubscribe', {}, second);
    await waitFor(() => emailOptedOutEverywhere(person), {
      timeoutMs: 30_000,
      description: 'the same-second unsubscribe won everywhere',
    });
    expect(await emailStatus(person)).toBe('unsubscribed');
    const unsubscribe = await historyEntry(
      person,
      'the unsubscribe in the history',
      (e) => e.status === 'unsubscribed',
    );
    expect(unsubscribe).toMatchObject({
      effect: 'changed',
      occurredAt: new Date(second).toISOString(),
      occurredAtPrecision: 'second',
      evidence: { kind: 'unsubscribe_link' },
    });
    expect(logHistory(person).map((e) => [e.status, e.effect])).toEqual([
      ['unsubscribed', 'changed'],
      ['subscribed', 'changed'],
    ]);
  });
});
