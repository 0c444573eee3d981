import { createProvider, mailchimpBaseUrl } from '../src';
import { contact, creds, FAST, useSimulators } from './support';

describe('Mailchimp adapter (against the simulator)', () => {
  const sims = useSimulators();
  const adapter = () =>
    createProvider({
      provider: 'mailchimp',
      apiKey: creds.mailchimpApiKey,
      listId: 'list1',
      baseUrl: sims().baseUrl('mailchimp'),
      ...FAST,
    });

  const urist = contact({
    externalId: 'u',
    email: 'Urist.McVankab@freddiesjokes.com',
    channels: { email: 'subscribed', sms: 'unsubscribed', push: 'subscribed' },
  });

  it('upserts the member by subscriber hash with Basic auth, carrying SMS and push consent as merge fields', async () => {
    const [result] = await adapter().deliver([urist]);

    expect(result?.outcome).toEqual({ kind: 'delivered' });
    const [call, ...more] = sims().calls('mailchimp');
    expect(more).toHaveLength(0);
    expect(call?.method).toBe('PUT');
    expect(call?.path).toBe('/lists/list1/members/62eeb292278cc15f5817cb78f7790b08');
    expect(call?.body).toEqual({
      email_address: 'Urist.McVankab@freddiesjokes.com',
      status_if_new: 'subscribed',
      status: 'subscribed',
      merge_fields: { SMSSTATUS: 'unsubscribed', PUSHSTATUS: 'subscribed' },
    });
    const basic = Buffer.from(
      call?.headers['authorization']?.replace(/^Basic /, '') ?? '',
      'base64',
    ).toString();
    expect(basic.split(':')[1]).toBe(creds.mailchimpApiKey);
    expect(call?.headers['idempotency-key']).toBeDefined();
    expect(sims().state.mailchimp.member('list1', urist.email ?? '')).toMatchObject({
      status: 'subscribed',
      merge_fields: { SMSSTATUS: 'unsubscribed', PUSHSTATUS: 'subscribed' },
    });
  });

  it('an SMS STOP updates the existing member without touching its email status', async () => {
    const mc = adapter();
    await mc.deliver([urist]);
    await mc.deliver([{ ...urist, version: 2, channels: { sms: 'unsubscribed' } }]);
    expect(sims().state.mailchimp.member('list1', urist.email ?? '')?.status).toBe('subscribed');
  });

  it('one request per contact; no email → not-applicable', async () => {
    const others = [1, 2, 3].map((i) =>
      contact({ externalId: `c${i}`, email: `c${i}@example.com`, channels: { email: 'unsubscribed' } }),
    );
    const results = await adapter().deliver([
      ...others,
      contact({ externalId: 'x', channels: { email: 'unsubscribed' } }),
    ]);
    expect(results.map((r) => r.outcome.kind)).toEqual([
      'delivered',
      'delivered',
      'delivered',
      'not-applicable',
    ]);
    expect(sims().calls('mailchimp')).toHaveLength(3);
  });

  it('reads the member back as channels; unknown member → not-found', async () => {
    const mc = adapter();
    await mc.deliver([urist]);
    await expect(mc.read({ externalId: 'u', email: urist.email ?? '' })).resolves.toEqual({
      kind: 'found',
      channels: { email: 'subscribed', sms: 'unsubscribed', push: 'subscribed' },
    });
    await expect(mc.read({ externalId: 'z', email: 'nobody@example.com' })).resolves.toEqual({
      kind: 'not-found',
    });
  });

  it('derives the data-centre base URL from the key', () => {
    expect(mailchimpBaseUrl('0123abcd-us19')).toBe('https://us19.api.mailchimp.com/3.0');
    expect(() => mailchimpBaseUrl('no-suffix')).toThrow('data-centre');
  });
});

describe('Mailchimp adapter: compliance state and interests (against the simulator)', () => {
  const sims = useSimulators();
  const adapter = () =>
    createProvider({
      provider: 'mailchimp',
      apiKey: creds.mailchimpApiKey,
      listId: 'list1',
      baseUrl: sims().baseUrl('mailchimp'),
      topicInterests: { newsletter: 'a1b2c3d4e5' },
      ...FAST,
    });
  const jane = contact({ externalId: 'j', email: 'jane@example.com', channels: { email: 'unsubscribed' } });

  it('re-subscribes a member who unsubscribed through pending (Mailchimp confirms), never a refused subscribed', async () => {
    const mc = adapter();
    await mc.deliver([jane]);
    const [result] = await mc.deliver([{ ...jane, version: 2, channels: { email: 'subscribed' } }]);

    expect(result?.outcome).toEqual({ kind: 'delivered' });
    expect(sims().state.mailchimp.member('list1', 'jane@example.com')?.status).toBe('pending');
    expect(sims().state.mailchimp.confirmationsSent()).toEqual(['jane@example.com']);
    const answers = sims()
      .calls('mailchimp')
      .map((c) => [(c.body as { status?: string }).status, c.status]);
    expect(answers).toEqual([
      ['unsubscribed', 200],
      ['subscribed', 400],
      ['pending', 200],
    ]);
  });

  it('a new member is subscribed directly; an unrelated refusal is not retried as pending', async () => {
    const mc = adapter();
    const [fresh] = await mc.deliver([
      contact({ externalId: 'n', email: 'new@example.com', channels: { email: 'subscribed' } }),
    ]);
    expect(fresh?.outcome).toEqual({ kind: 'delivered' });
    expect(sims().state.mailchimp.member('list1', 'new@example.com')?.status).toBe('subscribed');

    sims().setFault('mailchimp', {
      kind: 'reject',
      status: 400,
      forEmails: ['poison@example.com'],
    });
    const [poison] = await mc.deliver([
      contact({ externalId: 'p', email: 'poison@example.com', channels: { email: 'subscribed' } }),
    ]);
    expect(poison?.outcome.kind).toBe('rejected');
    expect(
      sims()
        .calls('mailchimp')
        .filter((c) => (c.body as { status?: string }).status === 'pending'),
    ).toEqual([]);
  });

  it('writes a topic interest from its effective status: a resubscribe during a channel opt-out stays out', async () => {
    const [result] = await adapter().deliver([
      {
        ...jane,
        topics: { email: [{ topic: 'newsletter', status: 'subscribed', effective: 'unsubscribed' }] },
      },
    ]);
    expect(result?.outcome).toEqual({ kind: 'delivered' });
    expect(sims().state.mailchimp.member('list1', 'jane@example.com')).toMatchObject({
      status: 'unsubscribed',
      interests: { a1b2c3d4e5: false },
    });
  });
});
