import { waitFor } from '@optstream/testing';
import { newId, newPerson } from './contacts';
import { SystemHarness } from './system-harness';

jest.setTimeout(600_000);

/**
 * The RFC 8058 one-click POST a mail provider sends, end to end: the link minted by the read API, the
 * unsubscribe taken by the gateway and carried through the log to the read model and every platform's
 * simulator. (The page itself is checked in Chromium by libs/ingestion/preference-pages/test.)
 */
describe('preference center and one-click unsubscribe, end to end', () => {
  const h = new SystemHarness();

  beforeAll(() => h.start());
  afterAll(() => h.stop());

  async function subscribedPerson(label: string) {
    const person = newPerson(label);
    await h.simulators.seedOnesignalUser(person.externalId, [
      { type: 'iOSPush', token: newId() },
      { type: 'SMS', token: person.phone },
    ]);
    const answer = await h.webhooks.segmentIdentify({
      userId: person.externalId,
      timestamp: new Date(Date.now() - 60_000).toISOString(),
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
        return (
          braze?.email_subscribe === 'opted_in' && braze.push_subscribe === 'opted_in' // the readiness the opt-outs suite waits for
        );
      },
      { timeoutMs: 60_000, description: `${label}: subscribed on Braze` },
    );
    return person;
  }

  async function linksOf(externalId: string, query = '') {
    const response = await fetch(`${h.readApiUrl}/v1/contacts/${externalId}/links${query}`, {
      headers: { 'x-api-key': h.readApiKey },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as {
      unsubscribeUrl: string;
      preferencesUrl: string;
      headers: Record<string, string>;
    };
  }

  it('curl -X POST -d List-Unsubscribe=One-Click <link> unsubscribes email everywhere; a GET of it changed nothing', async () => {
    const person = await subscribedPerson('one-click');
    const { unsubscribeUrl, headers } = await linksOf(person.externalId);
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const scanned = await fetch(unsubscribeUrl);
    expect(scanned.status).toBe(200);
    expect((await h.contact(person.externalId))?.channels.email?.status).toBe('subscribed');

    const oneClick = await fetch(unsubscribeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    await waitFor(
      async () => (await h.contact(person.externalId))?.channels.email?.status === 'unsubscribed',
      {
        timeoutMs: 30_000,
        description: 'email unsubscribed in the read model',
      },
    );
    const contact = await h.contact(person.externalId);
    expect(contact?.channels.email?.sourceOfChange).toBe('Email One-Click Unsubscribe');
    // The history holds exactly one change from the link: the POST, not the GET before it.
    const history = (await (
      await fetch(`${h.readApiUrl}/v1/contacts/${person.externalId}/history`, {
        headers: { 'x-api-key': h.readApiKey },
      })
    ).json()) as { events: { sourceOfChange: string }[] };
    expect(history.events.filter((e) => e.sourceOfChange === 'Email One-Click Unsubscribe')).toHaveLength(1);
    await waitFor(
      async () => (await h.simulators.brazeUser(person.externalId))?.email_subscribe === 'unsubscribed',
      {
        timeoutMs: 60_000,
        description: 'email unsubscribed on Braze',
      },
    );
  });
});
