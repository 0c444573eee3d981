import { deriveEventId, mailchimpEventRef } from '../event-id';
import { parseFormBody } from '../form';
import { mapMailchimpWebhook } from './mailchimp';

const ctx = { receivedAt: 1_700_000_100_000, defaultRegion: 'US' };
// Wire format as Mailchimp posts it (application/x-www-form-urlencoded, PHP-style keys).
const UNSUBSCRIBE =
  'type=unsubscribe&fired_at=2009-03-26+21%3A40%3A57&data%5Baction%5D=unsub&data%5Breason%5D=manual&data%5Bid%5D=8a25ff1d98' +
  '&data%5Blist_id%5D=a6b5da1054&data%5Bemail%5D=API%40Example.com&data%5Bemail_type%5D=html' +
  '&data%5Bmerges%5D%5BEMAIL%5D=api%40mailchimp.com&data%5Bmerges%5D%5BFNAME%5D=Mailchimp&data%5Bmerges%5D%5BLNAME%5D=API' +
  '&data%5Bip_opt%5D=10.20.10.30&data%5Bcampaign_id%5D=cb398d21d2';
const PROFILE =
  'type=profile&fired_at=2009-03-26+21%3A31%3A21&data%5Bid%5D=8a25ff1d98&data%5Blist_id%5D=a6b5da1054' +
  '&data%5Bemail%5D=api%40mailchimp.com&data%5Bemail_type%5D=html&data%5Bmerges%5D%5BFNAME%5D=Mailchimp&data%5Bmerges%5D%5BLNAME%5D=API';

describe('mapMailchimpWebhook', () => {
  it('decodes the real wire body: unsubscribe → email unsubscribed at fired_at (UTC)', () => {
    const [result] = mapMailchimpWebhook(parseFormBody(UNSUBSCRIBE), ctx);
    expect(result).toMatchObject({
      outcome: 'fact',
      fact: {
        occurredAt: Date.UTC(2009, 2, 26, 21, 40, 57),
        identifiers: { email: 'api@example.com' },
        preferenceChange: {
          channel: 'email',
          newStatus: 'unsubscribed',
          sourceOfChange: 'Mailchimp Unsubscribe',
        },
      },
    });
  });

  it('rejects an address with a space instead of guessing', () => {
    expect(
      mapMailchimpWebhook(parseFormBody(UNSUBSCRIBE.replace('API%40', 'API+Test%40')), ctx),
    ).toMatchObject([
      { outcome: 'rejected', code: 'INVALID_EMAIL', reason: 'data[email]: email contains whitespace' },
    ]);
  });

  const fields = (over: Record<string, string>) => ({
    ...parseFormBody(UNSUBSCRIBE),
    'data[email]': 'API@Example.com',
    ...over,
  });

  it.each([
    ['unsubscribe', 'unsubscribed', 'Mailchimp Unsubscribe'],
    ['cleaned', 'unsubscribed', 'Mailchimp Cleaned'],
    ['subscribe', 'subscribed', 'Mailchimp Subscribe'],
  ])('%s → email %s', (type, newStatus, sourceOfChange) => {
    const ref = mailchimpEventRef(type, '2009-03-26 21:40:57', 'api@example.com', 'a6b5da1054');
    expect(mapMailchimpWebhook(fields({ type }), ctx)).toEqual([
      {
        outcome: 'fact',
        fact: {
          eventId: deriveEventId('mailchimp', ref),
          source: { system: 'mailchimp', providerEventRef: ref },
          occurredAt: Date.UTC(2009, 2, 26, 21, 40, 57),
          receivedAt: ctx.receivedAt,
          identifiers: { externalId: null, email: 'api@example.com', phone: null, anonymousId: null },
          kind: 'preference_change',
          preferenceChange: { channel: 'email', newStatus, sourceOfChange },
          identify: null,
          pushPermissionChange: null,
          occurredAtPrecision: 'second',
        },
      },
    ]);
  });

  it('profile → identify with merge fields as traits', () => {
    const [result] = mapMailchimpWebhook(parseFormBody(PROFILE), ctx);
    expect(result).toMatchObject({
      outcome: 'fact',
      fact: { kind: 'identify', preferenceChange: null, identifiers: { email: 'api@mailchimp.com' } },
    });
    const traits = result?.outcome === 'fact' ? JSON.parse(result.fact.identify?.traitsJson ?? 'null') : null;
    expect(traits).toEqual({
      mailchimp_id: '8a25ff1d98',
      mailchimp_list_id: 'a6b5da1054',
      email_type: 'html',
      merges: { FNAME: 'Mailchimp', LNAME: 'API' },
    });
  });

  it('a retried webhook maps to the same event id; another second does not', () => {
    const id = (f: Record<string, string>) => {
      const [r] = mapMailchimpWebhook(f, ctx);
      return r?.outcome === 'fact' ? r.fact.eventId : undefined;
    };
    expect(id(fields({}))).toBeDefined();
    expect(id(fields({}))).toBe(id(fields({ 'data[email]': ' api@EXAMPLE.com' })));
    expect(id(fields({}))).not.toBe(id(fields({ fired_at: '2009-03-26 21:40:58' })));
  });

  it.each(['upemail', 'campaign'])('%s is ignored', (type) => {
    expect(mapMailchimpWebhook(fields({ type }), ctx)).toMatchObject([
      { outcome: 'ignored', reason: `Mailchimp "${type}" carries no consent change` },
    ]);
  });

  it.each<[Record<string, string>, string, string]>([
    [{ type: 'unsub' }, 'UNKNOWN_EVENT_TYPE', 'type "unsub" is not a known Mailchimp webhook type'],
    [
      { fired_at: '2009-03-26T21:40:57Z' },
      'INVALID_TIMESTAMP',
      'fired_at "2009-03-26T21:40:57Z" is not "YYYY-MM-DD HH:MM:SS"',
    ],
    [{ 'data[list_id]': '' }, 'INVALID_FIELD', 'data[list_id] must not be empty'],
  ])('rejects %j', (over, code, reason) => {
    expect(mapMailchimpWebhook(fields(over), ctx)).toMatchObject([{ outcome: 'rejected', code, reason }]);
  });

  it('rejects a missing type and a missing email', () => {
    expect(mapMailchimpWebhook({}, ctx)).toMatchObject([
      { outcome: 'rejected', code: 'MISSING_FIELD', reason: 'type is required' },
    ]);
    const { 'data[email]': _omit, ...noEmail } = fields({});
    expect(mapMailchimpWebhook(noEmail, ctx)).toMatchObject([
      { outcome: 'rejected', code: 'MISSING_FIELD', reason: 'data[email] is required' },
    ]);
  });
});
