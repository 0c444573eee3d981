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
