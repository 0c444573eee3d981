import type { ContactConsent } from '../consent';
import { consent } from '../testing/consent';
import {
  attentiveFingerprint,
  attentiveReadRequest,
  attentiveTextTypes,
  attentiveViewOf,
  planAttentive,
} from './attentive';

const phone = '+12133734253';
const email = 'a@x.com';
const unsubscribe = (user: object, channels: string[]) => ({
  method: 'POST',
  path: '/v1/subscriptions/unsubscribe',
  body: {
    user,
    subscriptions: channels.map((channel) => ({ type: 'MARKETING', channel })),
    notification: { disabled: true },
  },
});
const subscribe = (user: object) => ({
  method: 'POST',
  path: '/v1/subscriptions',
  body: { user, subscriptionType: 'MARKETING', signUpSourceId: 'src-1' },
});

describe('Attentive mapping', () => {
  it.each<[string, Partial<ContactConsent>, boolean, unknown[]]>([
    ['sms opt-out', { phone, channels: { sms: 'unsubscribed' } }, false, [unsubscribe({ phone }, ['TEXT'])]],
    [
      'both opted out, both addresses',
      { phone, email, channels: { sms: 'unsubscribed', email: 'unsubscribed' } },
      false,
      [unsubscribe({ phone, email }, ['TEXT', 'EMAIL'])],
    ],
    [
      'email opt-out without email address: nothing for email',
      { phone, channels: { email: 'unsubscribed' } },
      false,
      [],
    ],
    ['subscribes are not forwarded by default', { phone, channels: { sms: 'subscribed' } }, false, []],
    [
      'subscribes forwarded when enabled, with the subscribed channel addresses only',
      { phone, email, channels: { sms: 'subscribed', email: 'unsubscribed' } },
      true,
      [unsubscribe({ phone, email }, ['EMAIL']), subscribe({ phone })],
    ],
  ])('%s', (_name, fields, sendSubscribes, expected) => {
    const plan = planAttentive([consent({ externalId: 'a', ...fields })], {
      sendSubscribes,
      signUpSourceId: 'src-1',
    });
    expect(plan.requests.map((r) => r.request)).toEqual(expected);
  });

  it.each<[Partial<ContactConsent>, boolean, string]>([
    [{ channels: { sms: 'unsubscribed' } }, false, 'no phone or email'],
    [{ phone, channels: { sms: 'subscribed' } }, false, 'only opt-outs are forwarded to Attentive'],
    [{ phone, channels: { push: 'unsubscribed' } }, true, 'no consent Attentive can represent'],
  ])('skips %j', (fields, sendSubscribes, reason) => {
    const plan = planAttentive([consent({ externalId: 'a', ...fields })], { sendSubscribes });
    expect(plan.skipped.map((s) => s.reason)).toEqual([reason]);
  });

  it('fingerprint covers sms and email', () => {
    expect(
      attentiveFingerprint(
        consent({ externalId: 'a', channels: { push: 'unsubscribed', sms: 'subscribed' } }),
      ),
    ).toBe('sms=subscribed|email=-');
  });

  it('read request and view', () => {
    expect(attentiveReadRequest({ phone, email })).toEqual({
      method: 'GET',
      path: '/v1/subscriptions?phone=%2B12133734253&email=a%40x.com',
    });
    const body = {
      subscriptions: [
        { type: 'MARKETING', channel: 'TEXT', status: 'UNSUBSCRIBED' },
        { type: 'MARKETING', channel: 'EMAIL', subscribed: true },
        { type: 'TRANSACTIONAL', channel: 'TEXT', status: 'SUBSCRIBED' },
      ],
    };
    expect(attentiveViewOf(body)).toEqual({ sms: 'unsubscribed', email: 'subscribed' });
  });
});

describe('Attentive subscription types of topics', () => {
  const topicTypes = { promotions: 'MARKETING', receipts: 'TRANSACTIONAL' } as const;
  it('MARKETING carries the channel-wide SMS choice; a topic its type from its effective status; an opt-out wins', () => {
    const stopThenResubscribe = consent({
      externalId: 'a',
      channels: { sms: 'unsubscribed' },
      topics: { sms: [{ topic: 'promotions', status: 'subscribed', effective: 'unsubscribed' }] },
    });
    expect([...attentiveTextTypes(stopThenResubscribe, { topicTypes })]).toEqual([
      ['MARKETING', 'unsubscribed'],
    ]);
    const promotionsOut = consent({
      externalId: 'b',
      channels: { sms: 'subscribed' },
      topics: {
        sms: [
          { topic: 'promotions', status: 'unsubscribed', effective: 'unsubscribed' },
          { topic: 'receipts', status: 'subscribed', effective: 'subscribed' },
        ],
      },
    });
    expect([...attentiveTextTypes(promotionsOut, { topicTypes })]).toEqual([
      ['MARKETING', 'unsubscribed'],
      ['TRANSACTIONAL', 'subscribed'],
    ]);
  });

  it('a resubscribed topic never subscribes while the SMS channel is opted out', () => {
    const plan = planAttentive(
      [
        consent({
          externalId: 'c',
          phone,
          channels: { sms: 'unsubscribed' },
          topics: { sms: [{ topic: 'promotions', status: 'subscribed', effective: 'unsubscribed' }] },
        }),
      ],
      { sendSubscribes: true, topicTypes },
    );
    expect(plan.requests.map((r) => r.request.path)).toEqual(['/v1/subscriptions/unsubscribe']);
  });
});
