import type { ContactInbound } from '@optstream/contracts';
import { ID_SUFFIX } from '../ids';
import { emptyIdentityView, type ContactNode } from '../view';
import {
  command,
  commandFor,
  contact,
  deriveId,
  fact,
  keyedHash,
  normalizeEmail,
  OCCURRED_AT,
  provisionalId,
  RECORDED_AT,
  summarize,
  viewOf,
  type FactSpec,
} from '../testing/builders';
import { decide } from './decide';
import type { Decision, IdentityDecision } from './decision';
import { reemittedEventId } from './reemit';

const ANN = 'ann@example.com';
const BOB = 'bob@example.com';
const PHONE_1 = '+14155550101';
const PHONE_2 = '+14155550102';
const P = provisionalId('evt-1'); // the contact an opt-out with eventId evt-1 creates

interface Row {
  readonly name: string;
  readonly given: readonly ContactNode[];
  readonly when: FactSpec;
  readonly then: readonly string[];
}

const optOut = (spec: Omit<FactSpec, 'kind'>): FactSpec => ({ kind: 'preference_change', ...spec });
const identify = (spec: Omit<FactSpec, 'kind'>): FactSpec => ({ kind: 'identify', ...spec });

const run = (rows: readonly Row[]): void =>
  it.each(rows.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    expect(summarize(decide(command(row.when), viewOf(...row.given)))).toEqual(row.then);
  });

describe('decide: identify', () => {
  run([
    {
      name: 'an unseen externalId registers a real contact and links each identifier',
      given: [],
      when: identify({ externalId: 'ext-ann', email: ANN, phone: PHONE_1 }),
      then: [
        'contact_registered ext-ann provisional=false',
        `identifier_linked ext-ann email=${ANN}`,
        `identifier_linked ext-ann phone=${PHONE_1}`,
      ],
    },
    {
      name: 'a known contact re-identifying with its own identifiers changes nothing',
      given: [contact('ext-ann', { emails: [ANN], phones: [PHONE_1] })],
      when: identify({ externalId: 'ext-ann', email: ANN, phone: PHONE_1 }),
      then: [],
    },
    {
      name: 'a known contact gains an unowned phone',
      given: [contact('ext-ann', { emails: [ANN] })],
      when: identify({ externalId: 'ext-ann', email: ANN, phone: PHONE_1 }),
      then: [`identifier_linked ext-ann phone=${PHONE_1}`],
    },
    {
      name: 'an identify without externalId ties nothing (no authority to link)',
      given: [contact('ext-ann', { emails: [ANN] })],
      when: identify({ email: ANN, phone: PHONE_1 }),
      then: [],
    },
    {
      name: 'identify after opt-out merges the provisional contact and re-emits its preferences',
      given: [contact('prov-ann', { provisional: true, emails: [ANN] })],
      when: identify({ externalId: 'ext-ann', email: ANN }),
      then: [
        'contact_registered ext-ann provisional=false',
        'contacts_merged ext-ann from=prov-ann',
        'reemit prov-ann -> ext-ann',
      ],
    },
    {
      name: 'a provisional contact holding both email and phone is merged once',
      given: [contact('prov-ann', { provisional: true, emails: [ANN], phones: [PHONE_1] })],
      when: identify({ externalId: 'ext-ann', email: ANN, phone: PHONE_1 }),
      then: [
        'contact_registered ext-ann provisional=false',
        'contacts_merged ext-ann from=prov-ann',
        'reemit prov-ann -> ext-ann',
      ],
    },
    {
      name: 'two provisional contacts (one per address) are both merged into the identified contact',
      given: [
        contact('ext-ann', {}),
        contact('prov-mail', { provisional: true, emails: [ANN] }),
        contact('prov-sms', { provisional: true, phones: [PHONE_1] }),
      ],
      when: identify({ externalId: 'ext-ann', email: ANN, phone: PHONE_1 }),
      then: [
        'contacts_merged ext-ann from=prov-mail',
        'reemit prov-mail -> ext-ann',
        'contacts_merged ext-ann from=prov-sms',
        'reemit prov-sms -> ext-ann',
      ],
    },
    {
      name: 'two externalIds claiming one email: the identify moves it (reassigned), never merges',
      given: [contact('ext-ann', { emails: [ANN], phones: [PHONE_1] }), contact('ext-bob', {})],
      when: identify({ externalId: 'ext-bob', email: ANN }),
      then: [`identifier_reassigned ext-bob email=${ANN} from=ext-ann`],
    },
    {
      name: 'an unseen externalId claiming a real contact’s email registers, then takes the email',
      given: [contact('ext-ann', { emails: [ANN] })],
      when: identify({ externalId: 'ext-bob', email: ANN }),
      then: [
        'contact_registered ext-bob provisional=false',
        `identifier_reassigned ext-bob email=${ANN} from=ext-ann`,
      ],
    },
    {
      name: 'recycled phone: an identify moves it from the previous owner to the new one',
      given: [
        contact('ext-ann', { emails: [ANN], phones: [PHONE_1] }),
        contact('ext-bob', { emails: [BOB] }),
      ],
      when: identify({ externalId: 'ext-bob', email: BOB, phone: PHONE_1 }),
      then: [`identifier_reassigned ext-bob phone=${PHONE_1} from=ext-ann`],
    },
    {
      name: 'email held provisionally and phone held by a real contact: merge one, move the other',
      given: [
        contact('prov-ann', { provisional: true, emails: [ANN] }),
        contact('ext-bob', { phones: [PHONE_1] }),
        contact('ext-ann', {}),
      ],
      when: identify({ externalId: 'ext-ann', email: ANN, phone: PHONE_1 }),
      then: [
        'contacts_merged ext-ann from=prov-ann',
        'reemit prov-ann -> ext-ann',
        `identifier_reassigned ext-ann phone=${PHONE_1} from=ext-bob`,
      ],
    },
    {
      name: 'an externalId that was merged resolves to its survivor',
      given: [contact('prov-ann', { provisional: true, mergedInto: 'ext-ann' }), contact('ext-ann', {})],
      when: identify({ externalId: 'prov-ann', phone: PHONE_2 }),
      then: [`identifier_linked ext-ann phone=${PHONE_2}`],
    },
  ]);
});

describe('decide: preference and push permission changes', () => {
  run([
    {
      name: 'an opt-out by email goes to the email’s owner',
      given: [contact('ext-ann', { emails: [ANN] })],
      when: optOut({ email: ANN }),
      then: ['preference ext-ann email=unsubscribed'],
    },
    {
      name: 'an opt-out from an unknown email creates a provisional contact at once',
      given: [],
      when: optOut({ email: ANN }),
      then: [
        `contact_registered ${P} provisional=true`,
        `identifier_linked ${P} email=${ANN}`,
        `preference ${P} email=unsubscribed`,
      ],
    },
    {
      name: 'an SMS STOP from an unknown number creates a provisional contact for the phone',
      given: [contact('ext-ann', { emails: [ANN] })],
      when: optOut({ phone: PHONE_1, channel: 'sms' }),
      then: [
        `contact_registered ${P} provisional=true`,
        `identifier_linked ${P} phone=${PHONE_1}`,
        `preference ${P} sms=unsubscribed`,
      ],
    },
    {
      name: 'an opt-out naming an unknown email and phone links both to the new provisional contact',
      given: [],
      when: optOut({ email: ANN, phone: PHONE_1, channel: 'sms' }),
      then: [
        `contact_registered ${P} provisional=true`,
        `identifier_linked ${P} email=${ANN}`,
        `identifier_linked ${P} phone=${PHONE_1}`,
        `preference ${P} sms=unsubscribed`,
      ],
    },
    {
      name: 'shared phone: a preference by phone alone goes to its current owner',
      given: [
        contact('ext-ann', { emails: [ANN], phones: [PHONE_1] }),
        contact('ext-bob', { emails: [BOB] }),
      ],
      when: optOut({ phone: PHONE_1, channel: 'sms' }),
      then: ['preference ext-ann sms=unsubscribed'],
    },
    {
      name: 'email of one contact and phone of another: applied to the email’s owner, phone stays',
      given: [
        contact('ext-ann', { emails: [ANN] }),
        contact('ext-bob', { emails: [BOB], phones: [PHONE_1] }),
      ],
      when: optOut({ email: ANN, phone: PHONE_1, channel: 'sms' }),
      then: ['preference ext-ann sms=unsubscribed'],
    },
    {
      name: 'email of one contact and phone of a provisional one: still no merge on a consent fact',
      given: [
        contact('ext-ann', { emails: [ANN] }),
        contact('prov-x', { provisional: true, phones: [PHONE_1] }),
      ],
      when: optOut({ email: ANN, phone: PHONE_1, channel: 'sms' }),
      then: ['preference ext-ann sms=unsubscribed'],
    },
    {
      name: 'matched by email, an unowned phone named alongside is linked to that contact',
      given: [contact('ext-ann', { emails: [ANN] })],
      when: optOut({ email: ANN, phone: PHONE_1 }),
      then: [`identifier_linked ext-ann phone=${PHONE_1}`, 'preference ext-ann email=unsubscribed'],
    },
    {
      name: 'matched by phone only, an unknown email is NOT linked (the weak key never pulls a stronger one)',
      given: [contact('ext-bob', { phones: [PHONE_1] })],
      when: optOut({ email: ANN, phone: PHONE_1 }),
      then: ['preference ext-bob email=unsubscribed'],
    },
    {
      name: 'an externalId wins over an email owned by someone else, and the email stays put',
      given: [contact('ext-ann', {}), contact('ext-bob', { emails: [BOB] })],
      when: optOut({ externalId: 'ext-ann', email: BOB }),
      then: ['preference ext-ann email=unsubscribed'],
    },
    {
      name: 'an unseen externalId on a consent fact registers a real contact and links unowned identifiers',
      given: [],
      when: optOut({ externalId: 'ext-ann', email: ANN }),
      then: [
        'contact_registered ext-ann provisional=false',
        `identifier_linked ext-ann email=${ANN}`,
        'preference ext-ann email=unsubscribed',
      ],
    },
    {
      name: 'an identifier still listed under a merged contact resolves to the survivor',
      given: [
        contact('prov-ann', { provisional: true, mergedInto: 'ext-ann', emails: [ANN] }),
        contact('ext-ann'),
      ],
      when: optOut({ email: ANN }),
      then: ['preference ext-ann email=unsubscribed'],
    },
    {
      name: 'a subscribe from an unknown address is recorded on a provisional contact too',
      given: [],
      when: optOut({ email: ANN, status: 'subscribed' }),
      then: [
        `contact_registered ${P} provisional=true`,
        `identifier_linked ${P} email=${ANN}`,
        `preference ${P} email=subscribed`,
      ],
    },
    {
      name: 'push permission turned off → push unsubscribed',
      given: [contact('ext-ann', {})],
      when: { kind: 'push_permission_change', externalId: 'ext-ann', pushEnabled: false },
      then: ['preference ext-ann push=unsubscribed'],
    },
    {
      name: 'push permission turned on → push subscribed',
      given: [contact('ext-ann', {})],
      when: { kind: 'push_permission_change', externalId: 'ext-ann', pushEnabled: true },
      then: ['preference ext-ann push=subscribed'],
    },
  ]);
});

describe('decide: blocked identifier values are never linked', () => {
  const blocked = [
    'null',
    'NULL',
    'undefined',
    'anonymous',
    'Anonymous',
    '0',
    '-1',
    '',
    '   ',
    '00000000-0000-0000-0000-000000000000',
    '0000',
  ];

  it.each(blocked)('an opt-out whose only identifiers are %j is rejected, nothing linked', (value) => {
    const decisions = decide(
      command(optOut({ externalId: value, email: value, phone: value })),
      emptyIdentityView(),
    );
    expect(summarize(decisions)).toEqual(['rejected NO_USABLE_IDENTIFIER']);
  });

  it.each(blocked)('an identify of a real contact ignores the blocked value %j', (value) => {
    const decisions = decide(
      command(identify({ externalId: 'ext-ann', email: value, phone: value })),
      emptyIdentityView(),
    );
    expect(summarize(decisions)).toEqual(['contact_registered ext-ann provisional=false']);
  });

  it.each(blocked)('a blocked externalId %j falls back to the email', (value) => {
    const given = viewOf(contact('ext-ann', { emails: [ANN] }));
    expect(summarize(decide(command(optOut({ externalId: value, email: ANN })), given))).toEqual([
      'preference ext-ann email=unsubscribed',
    ]);
  });
});

describe('decide: email case and whitespace variants', () => {
  const variants = ['ann@example.com', 'Ann@Example.com', '  ANN@EXAMPLE.COM ', '\tann@example.COM\n'];

  it.each(variants)('%j, normalized by the caller, hashes to the known contact', (raw) => {
    const given = viewOf(contact('ext-ann', { emails: [ANN] }));
    const decisions = decide(command(optOut({ email: normalizeEmail(raw) })), given);
    expect(summarize(decisions)).toEqual(['preference ext-ann email=unsubscribed']);
  });

  it('matches on the hash, not the plaintext: same hash → same contact whatever the value says', () => {
    const inbound = fact(optOut({ email: 'Ann@Example.com' }));
    const given = viewOf(contact('ext-ann', { emails: [ANN] }));
    const decisions = decide({ ...commandFor(inbound), emailHash: keyedHash('email', ANN) }, given);
    expect(summarize(decisions)).toEqual(['preference ext-ann email=unsubscribed']);
  });
});

describe('decide: rejections (dead-lettered by the service with the original payload)', () => {
  const withKind = (overrides: Partial<ContactInbound>): ContactInbound => ({
    ...fact(optOut({ email: ANN })),
    ...overrides,
  });

  it.each<[string, ContactInbound, string]>([
    ['an unknown fact kind', withKind({ kind: 'unknown', preferenceChange: null }), 'UNKNOWN_FACT_KIND'],
    ['a preference change without payload', withKind({ preferenceChange: null }), 'MISSING_FACT_PAYLOAD'],
    [
      'a push permission change without payload',
      withKind({ kind: 'push_permission_change', preferenceChange: null }),
      'MISSING_FACT_PAYLOAD',
    ],
    [
      'an unknown channel',
      withKind({ preferenceChange: { channel: 'unknown', newStatus: 'unsubscribed', sourceOfChange: 'x' } }),
      'UNKNOWN_CHANNEL',
    ],
    [
      'an unknown status',
      withKind({ preferenceChange: { channel: 'email', newStatus: 'unknown', sourceOfChange: 'x' } }),
      'UNKNOWN_STATUS',
    ],
  ])('%s', (_name, inbound, code) => {
    expect(summarize(decide(commandFor(inbound), emptyIdentityView()))).toEqual([`rejected ${code}`]);
  });

  it('an email without its keyed hash is refused rather than resolved as unknown', () => {
    const cmd = { ...command(optOut({ email: ANN })), emailHash: null };
    expect(summarize(decide(cmd, viewOf(contact('ext-ann', { emails: [ANN] }))))).toEqual([
      'rejected MISSING_IDENTIFIER_HASH',
    ]);
  });
});

describe('decide: event fields', () => {
  const identityEvents = (decisions: readonly Decision[]): readonly IdentityDecision[] =>
    decisions.flatMap((d) => (d.type === 'publish_identity' ? [d.event] : []));

  it('a preference event carries the fact’s source and time, the given recordedAt and a derived id', () => {
    const decisions = decide(
      command(optOut({ eventId: 'evt-42', externalId: 'ext-ann' })),
      viewOf(contact('ext-ann')),
    );
    expect(decisions).toEqual([
      {
        type: 'publish_preference',
        event: {
          eventId: deriveId('evt-42', ID_SUFFIX.preference),
          externalId: 'ext-ann',
          channel: 'email',
          newStatus: 'unsubscribed',
          sourceOfChange: 'Test',
          source: { system: 'optstream_api', providerEventRef: 'ref-evt-42' },
          occurredAt: OCCURRED_AT,
          recordedAt: RECORDED_AT,
          causationId: 'evt-42',
          topic: null,
          evidence: null,
          pendingExpiresAt: null,
          occurredAtPrecision: 'unknown',
          originalOccurredAt: null,
        },
      },
    ]);
  });

  it('identity events carry plaintext for sealing, the fact’s time and distinct derived ids', () => {
    const decisions = decide(
      command(optOut({ eventId: 'evt-7', email: ANN, phone: PHONE_1 })),
      emptyIdentityView(),
    );
    const events = identityEvents(decisions);
    expect(events).toHaveLength(3);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(3);
    for (const e of events) {
      expect(e).toMatchObject({ occurredAt: OCCURRED_AT, recordedAt: RECORDED_AT, causationId: 'evt-7' });
      expect(e.externalId).toBe(provisionalId('evt-7'));
    }
    expect(events[1]?.identifier).toEqual({
      kind: 'email',
      keyedHash: keyedHash('email', ANN),
      plaintext: ANN,
    });
  });

  it('a provisional contact id is derived from the inbound eventId (replay creates the same contact)', () => {
    const a = identityEvents(decide(command(optOut({ eventId: 'evt-9', email: ANN })), emptyIdentityView()));
    const b = identityEvents(decide(command(optOut({ eventId: 'evt-9', email: ANN })), emptyIdentityView()));
    const c = identityEvents(decide(command(optOut({ eventId: 'evt-10', email: ANN })), emptyIdentityView()));
    expect(a[0]?.externalId).toBe(provisionalId('evt-9'));
    expect(b[0]?.externalId).toBe(a[0]?.externalId);
    expect(c[0]?.externalId).not.toBe(a[0]?.externalId);
  });

  it('a re-emit names the merge event as its cause; its per-channel ids are derived and distinct', () => {
    const given = viewOf(contact('prov-ann', { provisional: true, emails: [ANN] }), contact('ext-ann'));
    const decisions = decide(command(identify({ externalId: 'ext-ann', email: ANN })), given);
    const merge = identityEvents(decisions)[0];
    const reemit = decisions.find((d) => d.type === 'reemit_preferences');
    expect(reemit).toEqual({
      type: 'reemit_preferences',
      from: 'prov-ann',
      to: 'ext-ann',
      causationId: merge?.eventId,
      recordedAt: RECORDED_AT,
    });
    if (reemit?.type !== 'reemit_preferences') throw new Error('no re-emit decision');
    const ids = (['email', 'sms', 'push'] as const).map((ch) => reemittedEventId(deriveId, reemit, ch));
    expect(new Set(ids).size).toBe(3);
    expect(reemittedEventId(deriveId, reemit, 'sms')).toBe(ids[1]);
  });
});
