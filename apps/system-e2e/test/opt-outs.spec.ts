import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { TOPICS } from '@optstream/contracts';
import { waitFor } from '@optstream/testing';
import { LOCAL_BRAZE_SMS_GROUP_ID, LOCAL_MAILCHIMP_LIST_ID } from '@optstream/local-system';
import { newId, newPerson, type Person } from './contacts';
import { scanLogs, scanTables, scanTopics } from './personal-data-scan';
import { SystemHarness } from './system-harness';

/** Runs the `optstream` CLI as a user would (a child process), with the given settings. */
function runCli(
  args: readonly string[],
  env: Record<string, string>,
): { status: number | null; stdout: string } {
  const root = resolve(__dirname, '../../..');
  const run = spawnSync(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      'apps/cli/src/main.ts',
      ...args,
    ],
    {
      cwd: root,
      env: { ...process.env, TS_NODE_PROJECT: resolve(root, 'tsconfig.base.json'), ...env },
      encoding: 'utf8',
    },
  );
  return { status: run.status, stdout: run.stdout };
}

jest.setTimeout(600_000);

/**
 * The product's promise, end to end with every service as its own process: an opt-out on any channel
 * reaches every platform (as the simulators record it), within a deadline, and the read model agrees.
 */
describe('optstream end to end: an opt-out on any channel reaches every platform', () => {
  const h = new SystemHarness();
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    await h.start();
  });
  afterAll(async () => {
    console.warn(`end-to-end delivery times (ms): ${JSON.stringify(timings)}`);
    await h.stop();
  });

  /** A known contact, subscribed everywhere, on every platform, with devices on OneSignal. */
  /** Everyone this suite created, for the minimization scan at the end. */
  const people: Person[] = [];

  async function subscribedEverywhere(label: string): Promise<Person> {
    const person = newPerson(label);
    people.push(person);
    await h.simulators.seedOnesignalUser(person.externalId, [
      { type: 'iOSPush', token: newId() },
      { type: 'Email', token: person.email },
      { type: 'SMS', token: person.phone },
    ]);
    const answer = await h.webhooks.segmentIdentify({
      userId: person.externalId,
      timestamp: '2026-01-01T00:00:00.000Z',
      traits: {
        email: person.email,
        phone: person.phone,
        email_subscribed_status: 'subscribed',
        sms_subscribed_status: 'subscribed',
        push_notification_enabled: true,
      },
    });
    expect(answer.status).toBe(200);
    await waitFor(
      async () => {
        const braze = await h.simulators.brazeUser(person.externalId);
        return braze?.email_subscribe === 'opted_in' && braze.push_subscribe === 'opted_in';
      },
      { timeoutMs: 60_000, description: `${label}: subscribed on Braze` },
    );
    return person;
  }

  async function timed(name: string, condition: () => Promise<boolean>): Promise<void> {
    const started = Date.now();
    await waitFor(condition, { timeoutMs: 30_000, intervalMs: 50, description: name });
    timings[name] = Date.now() - started;
  }

  it('an SMS STOP reply (signed Twilio webhook) unsubscribes SMS on every platform, email and mobile ones included', async () => {
    const person = await subscribedEverywhere('sms-stop');
    const answer = await h.webhooks.twilioSms({ from: person.phone, to: '+18005550100', body: 'STOP' });
    expect(answer.status).toBe(200);

    await timed('sms stop → all platforms', async () => {
      const [braze, attentive, mailchimp, onesignal] = await Promise.all([
        h.simulators.brazeUser(person.externalId),
        h.simulators.attentiveSubscriptions(person.phone),
        h.simulators.mailchimpMember(LOCAL_MAILCHIMP_LIST_ID, person.email),
        h.simulators.onesignalUser(person.externalId),
      ]);
      return (
        braze?.subscription_groups[LOCAL_BRAZE_SMS_GROUP_ID] === 'unsubscribed' &&
        attentive.some((s) => s.channel === 'TEXT' && s.status === 'UNSUBSCRIBED') &&
        mailchimp?.merge_fields['SMSSTATUS'] === 'unsubscribed' &&
        onesignal?.subscriptions.find((s) => s.type === 'SMS')?.enabled === false
      );
    });
    // The other channels are untouched.
    const braze = await h.simulators.brazeUser(person.externalId);
    expect(braze?.email_subscribe).toBe('opted_in');
    expect(await h.simulators.isGloballySuppressed(person.email)).toBe(false);
    const contact = await h.contact(person.externalId);
    expect(contact?.channels.sms?.status).toBe('unsubscribed');
    expect(contact?.channels.sms?.sourceOfChange).toBe('SMS STOP Reply');
  });

  it('an email unsubscribe link (signed SendGrid webhook) suppresses the email everywhere', async () => {
    const person = await subscribedEverywhere('email-unsub');
    const answer = await h.webhooks.sendgrid([
      {
        email: person.email,
        timestamp: Math.floor(Date.now() / 1000),
        event: 'unsubscribe',
        sg_event_id: `e2e-${newId()}`,
        sg_message_id: `msg-${newId()}`,
      },
    ]);
    expect(answer.status).toBe(200);

    await timed('email unsubscribe → all platforms', async () => {
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
    });
    const contact = await h.contact(person.externalId);
    expect(contact?.channels.email?.sourceOfChange).toBe('Email Unsubscribe Link');
  });

  it('push turned off in the app (Segment-style track) disables push on the mobile platforms', async () => {
    const person = await subscribedEverywhere('push-off');
    const answer = await h.webhooks.segmentTrack({
      userId: person.externalId,
      event: 'Marketing Preference Updated',
      timestamp: new Date().toISOString(),
      properties: { channel: 'push', new_status: 'unsubscribed', source_of_change: 'Mobile App Settings' },
    });
    expect(answer.status).toBe(200);

    await timed('push off → all platforms', async () => {
      const [braze, onesignal, mailchimp] = await Promise.all([
        h.simulators.brazeUser(person.externalId),
        h.simulators.onesignalUser(person.externalId),
        h.simulators.mailchimpMember(LOCAL_MAILCHIMP_LIST_ID, person.email),
      ]);
      return (
        braze?.push_subscribe === 'unsubscribed' &&
        onesignal?.subscriptions.find((s) => s.type === 'iOSPush')?.enabled === false &&
        mailchimp?.merge_fields['PUSHSTATUS'] === 'unsubscribed'
      );
    });
    expect(
      (await h.simulators.onesignalUser(person.externalId))?.subscriptions.find((s) => s.type === 'SMS')
        ?.enabled,
    ).toBe(true);
  });

  it('an opt-out from an unknown email holds at once, and survives the identify that ties it to a contact', async () => {
    const person = newPerson('identity');
    people.push(person);
    await h.webhooks.sendgrid([
      {
        email: person.email,
        timestamp: Math.floor(Date.parse('2026-02-01T00:00:00Z') / 1000),
        event: 'unsubscribe',
        sg_event_id: `e2e-${newId()}`,
      },
    ]);
    // Suppressed before anyone knows who this is.
    await timed('unknown email opt-out → SendGrid', () => h.simulators.isGloballySuppressed(person.email));
    const provisional = await h.lookup('email', person.email);
    expect(provisional?.provisional).toBe(true);

    await h.webhooks.segmentIdentify({
      userId: person.externalId,
      timestamp: '2026-03-01T00:00:00.000Z',
      traits: { email: person.email },
    });
    await waitFor(async () => (await h.lookup('email', person.email))?.externalId === person.externalId, {
      timeoutMs: 30_000,
      description: 'the email resolves to the identified contact',
    });
    await waitFor(
      async () => (await h.simulators.brazeUser(person.externalId))?.email_subscribe === 'unsubscribed',
      {
        timeoutMs: 30_000,
        description: 'the survivor is unsubscribed on Braze',
      },
    );
    const contact = await h.contact(person.externalId);
    expect(contact?.channels.email?.status).toBe('unsubscribed');
    const history = await h.history(person.externalId);
    expect(history.events.filter((e) => e.channel === 'email').map((e) => e.status)).toContain(
      'unsubscribed',
    );
    expect(await h.simulators.isGloballySuppressed(person.email)).toBe(true);
  });

  it('an older change arriving after a newer one overturns nothing, at any platform', async () => {
    const person = await subscribedEverywhere('out-of-order');
    const track = (status: string, iso: string) =>
      h.webhooks.segmentTrack({
        userId: person.externalId,
        event: 'Marketing Preference Updated',
        timestamp: iso,
        properties: { channel: 'email', new_status: status, source_of_change: 'Preference Center' },
      });
    await track('unsubscribed', '2026-06-01T00:00:00.000Z');
    await waitFor(
      async () => (await h.simulators.brazeUser(person.externalId))?.email_subscribe === 'unsubscribed',
      {
        timeoutMs: 30_000,
        description: 'newer unsubscribe delivered',
      },
    );
    await track('subscribed', '2026-05-01T00:00:00.000Z');
    await waitFor(
      async () =>
        (await h.history(person.externalId)).events.some(
          (e) => e.status === 'subscribed' && e.effect === 'older',
        ),
      { timeoutMs: 30_000, description: 'the late, older subscribe entered the history as older' },
    );
    // Barrier: a later effective change of the same contact has reached the platforms.
    await track('unsubscribed', '2026-07-01T00:00:00.000Z');
    await h.webhooks.segmentTrack({
      userId: person.externalId,
      event: 'Marketing Preference Updated',
      timestamp: '2026-07-01T00:00:00.000Z',
      properties: { channel: 'push', new_status: 'unsubscribed', source_of_change: 'Mobile App Settings' },
    });
    await waitFor(
      async () => (await h.simulators.brazeUser(person.externalId))?.push_subscribe === 'unsubscribed',
      {
        timeoutMs: 30_000,
        description: 'barrier delivered',
      },
    );
    expect((await h.simulators.brazeUser(person.externalId))?.email_subscribe).toBe('unsubscribed');
    expect(await h.simulators.isGloballySuppressed(person.email)).toBe(true);
    expect((await h.simulators.mailchimpMember(LOCAL_MAILCHIMP_LIST_ID, person.email))?.status).toBe(
      'unsubscribed',
    );
    expect((await h.contact(person.externalId))?.channels.email?.status).toBe('unsubscribed');
  });

  it('loop safety: the webhook our own API call makes a platform send does not bounce back out', async () => {
    const person = await subscribedEverywhere('loop');
    await h.webhooks.sendgrid([
      {
        email: person.email,
        event: 'unsubscribe',
        timestamp: Math.floor(Date.now() / 1000),
        sg_event_id: `e2e-${newId()}`,
      },
    ]);
    await waitFor(
      async () =>
        (await h.simulators.mailchimpMember(LOCAL_MAILCHIMP_LIST_ID, person.email))?.status ===
        'unsubscribed',
      { timeoutMs: 30_000, description: 'Mailchimp unsubscribed by our connector' },
    );
    const memberWrites = async () =>
      (await h.simulators.calls('mailchimp')).filter(
        (c) => c.method !== 'GET' && JSON.stringify(c.body).includes(person.email),
      ).length;
    const brazeWrites = async () =>
      (await h.simulators.calls('braze')).filter((c) => JSON.stringify(c.body).includes(person.externalId))
        .length;
    const writesBefore = await memberWrites();
    const brazeBefore = await brazeWrites();

    const emailEntries = async () =>
      (await h.history(person.externalId)).events.filter(
        (e) => e.channel === 'email' && e.status === 'unsubscribed',
      );
    const before = new Set((await emailEntries()).map((e) => e.eventId));
    // Mailchimp tells every webhook about the change our API call made (source "api").
    const echo = await h.webhooks.mailchimp('unsubscribe', {
      action: 'unsub',
      reason: 'manual',
      id: newId().slice(0, 10),
      email: person.email,
      list_id: LOCAL_MAILCHIMP_LIST_ID,
      email_type: 'html',
    });
    expect(echo.status).toBe(200);
    // Mailchimp's fired_at has whole seconds: in the same second as the SendGrid event it is an exact tie
    // ('older' by eventId order), later it is 'same_status' — a no-op either way, never 'changed'.
    const echoed = await waitFor(
      async () => {
        // History is in occurredAt order, and a tie can put the echo first: find it by its eventId.
        const added = (await emailEntries()).filter((e) => !before.has(e.eventId));
        return added.length > 0 ? added : null;
      },
      { timeoutMs: 30_000, description: 'the echo entered the history' },
    );
    expect(echoed.map((e) => e.effect)).not.toContain('changed');
    // Barrier: one effective change after the echo, then count what reached the platforms.
    await h.webhooks.segmentTrack({
      userId: person.externalId,
      event: 'Marketing Preference Updated',
      timestamp: new Date().toISOString(),
      properties: { channel: 'push', new_status: 'unsubscribed', source_of_change: 'Mobile App Settings' },
    });
    // At both platforms counted below: the email connector serves them side by side, so the barrier at
    // Mailchimp says nothing about Braze yet.
    await waitFor(
      async () => {
        const [mailchimp, braze] = await Promise.all([
          h.simulators.mailchimpMember(LOCAL_MAILCHIMP_LIST_ID, person.email),
          h.simulators.brazeUser(person.externalId),
        ]);
        return (
          mailchimp?.merge_fields['PUSHSTATUS'] === 'unsubscribed' && braze?.push_subscribe === 'unsubscribed'
        );
      },
      { timeoutMs: 30_000, description: 'barrier delivered to Mailchimp and Braze' },
    );
    // The echo reached no platform (a same-status change publishes no state): only the barrier did.
    expect(await memberWrites()).toBe(writesBefore + 1);
    expect(await brazeWrites()).toBe(brazeBefore + 1);
  });

  it('erasure forgets the person everywhere, keeps the suppression, and a later opt-in is a new contact', async () => {
    const person = await subscribedEverywhere('erase');
    await h.webhooks.twilioSms({ from: person.phone, to: '+18005550100', body: 'STOP' });
    await waitFor(
      async () =>
        (await h.simulators.attentiveSubscriptions(person.phone)).some(
          (s) => s.channel === 'TEXT' && s.status === 'UNSUBSCRIBED',
        ),
      { timeoutMs: 30_000, description: 'SMS opt-out delivered before the erasure' },
    );

    const exported = (await (
      await fetch(`${h.readApiUrl}/v1/contacts/${person.externalId}/export`, {
        headers: { 'x-api-key': h.readApiKey },
      })
    ).json()) as { contact: { externalId: string }; history: { sourceOfChange: string }[] };
    expect(exported.contact.externalId).toBe(person.externalId);
    expect(exported.history.map((e) => e.sourceOfChange)).toContain('SMS STOP Reply');
    // The CLI export adds what the read API cannot: the addresses, decrypted with the contact's key.
    const cli = runCli(['export', '--contact', person.externalId], {
      DATABASE_URL: h.endpoints().databaseUrl,
      OPTSTREAM_MASTER_KEYS: h.secrets.OPTSTREAM_MASTER_KEYS,
    });
    expect(cli.status).toBe(0);
    expect(JSON.parse(cli.stdout).addresses).toEqual({ email: person.email, phone: person.phone });

    const answer = await fetch(`${h.readApiUrl}/v1/contacts/${person.externalId}`, {
      method: 'DELETE',
      headers: { 'x-api-key': h.readApiKey },
    });
    expect(answer.status).toBe(202);

    await timed('erasure → platforms deleted', async () => {
      const [braze, onesignal, contact] = await Promise.all([
        h.simulators.brazeUser(person.externalId),
        h.simulators.onesignalUser(person.externalId),
        h.contact(person.externalId),
      ]);
      return (
        braze === undefined &&
        onesignal === undefined &&
        (contact as { erasedAt?: string | null } | null)?.erasedAt != null
      );
    });
    // The suppression remembers: SendGrid and Attentive keep the opt-out (they are keyed by address).
    expect(
      (await h.simulators.attentiveSubscriptions(person.phone)).some((s) => s.status === 'UNSUBSCRIBED'),
    ).toBe(true);

    const values = [person.email, person.phone];
    const stack = h.endpoints();
    expect(await scanTables(stack.databaseUrl, values)).toEqual([]);
    expect(
      await scanTopics(
        h.kafka.KAFKA_BROKERS,
        h.codec,
        stack.databaseUrl,
        h.secrets.OPTSTREAM_MASTER_KEYS,
        values,
      ),
    ).toEqual([]);
    expect(scanLogs(h.stack.logDir, values)).toEqual([]);

    // A rebuild replays the log, erasure included: the shredded key stays shredded, nothing comes back.
    const rebuild = await h.system.runCommand('preference-projector', 'rebuild.ts');
    expect({ code: rebuild.code, output: rebuild.output.slice(-300) }).toMatchObject({ code: 0 });
    expect((await h.contact(person.externalId)) as { erasedAt?: string | null } | null).toMatchObject({
      erasedAt: expect.any(String),
    });
    expect(await scanTables(stack.databaseUrl, values)).toEqual([]);

    // The same address later: a new contact; the old one is not resurrected.
    const again = newPerson('erase-again');
    await h.webhooks.segmentIdentify({
      userId: again.externalId,
      traits: { email: person.email, email_subscribed_status: 'subscribed' },
    });
    const found = await waitFor(
      async () => {
        const contact = await h.lookup('email', person.email);
        return contact?.externalId !== person.externalId ? contact : null;
      },
      { timeoutMs: 30_000, description: 'the address now belongs to a new contact' },
    );
    expect(found.externalId).toBe(again.externalId);
    expect((await h.contact(person.externalId))?.channels.sms?.status).toBe('unsubscribed');
  });

  it('optstream erase --file erases every contact listed, like the API', async () => {
    const person = await subscribedEverywhere('erase-cli');
    const file = join(h.root, 'erase.txt');
    writeFileSync(file, `# erasure requests\n${person.externalId}\n`);
    const cli = runCli(['erase', '--file', file], {
      KAFKA_BROKERS: h.kafka.KAFKA_BROKERS.join(','),
      SCHEMA_REGISTRY_URL: h.kafka.SCHEMA_REGISTRY_URL,
      OPTSTREAM_HASH_KEY: h.secrets.OPTSTREAM_HASH_KEY,
    });
    expect(cli.status).toBe(0);
    await waitFor(async () => (await h.simulators.brazeUser(person.externalId)) === undefined, {
      timeoutMs: 30_000,
      description: 'the contact erased at Braze',
    });
    expect((await h.contact(person.externalId)) as { erasedAt?: string | null } | null).toMatchObject({
      erasedAt: expect.any(String),
    });
  });

  it('data minimization: no plaintext email or phone in any long-lived topic or message key; inbound retention bounded', async () => {
    const values = people.flatMap((p) => [p.email, p.phone]);
    expect(values.length).toBeGreaterThan(10);
    const stack = h.endpoints();
    // Raw bytes only: sealed identifiers in identity.v1 are ciphertext and must stay so.
    expect(
      await scanTopics(
        h.kafka.KAFKA_BROKERS,
        h.codec,
        stack.databaseUrl,
        h.secrets.OPTSTREAM_MASTER_KEYS,
        values,
        {
          openSealed: false,
        },
      ),
    ).toEqual([]);
    const admin = new Kafka({ brokers: h.kafka.KAFKA_BROKERS, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const described = await admin.describeConfigs({
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: TOPICS.contactInbound.name,
            configNames: ['retention.ms'],
          },
        ],
        includeSynonyms: false,
      });
      const retention = Number(described.resources[0]?.configEntries[0]?.configValue);
      expect(retention).toBeGreaterThan(0);
      expect(retention).toBeLessThanOrEqual(7 * 24 * 60 * 60 * 1000);
    } finally {
      await admin.disconnect();
    }
  });
});
