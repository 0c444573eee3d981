import { waitFor } from '@optstream/testing';
import { LOCAL_BRAZE_SMS_GROUP_ID, LOCAL_MAILCHIMP_LIST_ID } from '@optstream/local-system';
import { newId, newPerson, type Person } from './contacts';
import { SystemHarness } from './system-harness';

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
  async function subscribedEverywhere(label: string): Promise<Person> {
    const person = newPerson(label);
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
});
