import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from 'avsc';
import {
  ContactInboundSchema,
  ContactPreferencesStateSchema,
  DeadLetterSchema,
  IdentityEventSchema,
  MarketingPreferenceUpdatedSchema,
  SCHEMAS,
  type ContactInbound,
  type ContactPreferencesState,
  type DeadLetter,
  type IdentityEvent,
  type MarketingPreferenceUpdated,
} from './generated';

/** avsc's typings want mutable arrays; the generated schemas are deeply readonly (`as const`). */
const avroType = (schema: object): Type => Type.forSchema(schema as Parameters<typeof Type.forSchema>[0]);

const occurredAt = Date.UTC(2026, 0, 15, 9, 30, 0, 123);
const recordedAt = occurredAt + 2_000;

const marketingPreferenceUpdated: MarketingPreferenceUpdated = {
  eventId: '5f0c8d1e-6c1a-5b8e-9d43-2a7c1f0b9e11',
  externalId: 'c_7Hq2LmX9',
  channel: 'email',
  newStatus: 'unsubscribed',
  sourceOfChange: 'Email Unsubscribe Link',
  source: { system: 'sendgrid', providerEventRef: 'sg_event_id_Zm9vYmFy' },
  occurredAt,
  recordedAt,
  causationId: '0b8f6a3c-2d4e-5f61-8a7b-9c0d1e2f3a4b',
  topic: 'newsletter',
  evidence: {
    strength: 'explicit',
    kind: 'group_unsubscribe',
    trust: 'server',
    collectionPoint: 'email-footer',
    consentTextId: 'newsletter-signup',
    consentTextVersion: 'v3',
    actor: 'person',
    legalBasis: 'consent',
    jurisdiction: 'EU',
  },
  pendingExpiresAt: null,
  occurredAtPrecision: 'second',
  originalOccurredAt: null,
  sealedIpAddress: { sealedValue: Buffer.from([0x02, 0x7f]), dataKeyId: 'dk_c_7Hq2LmX9_1' },
  sealedUserAgent: null,
};

const contactInbound: ContactInbound = {
  eventId: '0b8f6a3c-2d4e-5f61-8a7b-9c0d1e2f3a4b',
  source: { system: 'twilio', providerEventRef: 'SM2f1c6a0e9b7d4c3a8e5f0b1d2c3a4e5f' },
  occurredAt,
  receivedAt: recordedAt,
  identifiers: { externalId: null, email: null, phone: '+14155550123', anonymousId: null },
  kind: 'preference_change',
  preferenceChange: {
    channel: 'sms',
    newStatus: 'pending',
    sourceOfChange: 'Signup Form',
    topic: 'promotions',
    evidence: null,
    pendingExpiresAt: occurredAt + 86_400_000,
    ipAddress: '203.0.113.7',
    userAgent: 'Mozilla/5.0',
  },
  identify: null,
  pushPermissionChange: null,
  sourceTrust: 'client',
  occurredAtPrecision: 'millisecond',
  originalOccurredAt: Date.UTC(2099, 0, 1),
};

const identityEvent: IdentityEvent = {
  eventId: '9a8b7c6d-5e4f-5a3b-8c2d-1e0f9a8b7c6d',
  externalId: 'c_7Hq2LmX9',
  kind: 'identifier_linked',
  provisional: false,
  identifier: {
    kind: 'email',
    keyedHash: 'q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c',
    sealedValue: Buffer.from([0x01, 0x9f, 0x00, 0xff, 0x42, 0x7e]),
    dataKeyId: 'dk_c_7Hq2LmX9_1',
  },
  otherExternalId: null,
  occurredAt,
  recordedAt,
  causationId: '0b8f6a3c-2d4e-5f61-8a7b-9c0d1e2f3a4b',
};

const contactPreferencesState: ContactPreferencesState = {
  externalId: 'c_7Hq2LmX9',
  channels: [
    {
      channel: 'email',
      status: 'unsubscribed',
      occurredAt,
      eventId: marketingPreferenceUpdated.eventId,
      sourceOfChange: 'Email Unsubscribe Link',
      pendingExpiresAt: null,
      topics: [
        {
          topic: 'newsletter',
          status: 'subscribed',
          effectiveStatus: 'unsubscribed',
          occurredAt: occurredAt + 1_000,
          eventId: 'e3',
          sourceOfChange: 'Group Resubscribe',
          pendingExpiresAt: null,
        },
      ],
    },
    {
      channel: 'push',
      status: 'subscribed',
      occurredAt: occurredAt - 86_400_000,
      eventId: 'e2',
      sourceOfChange: 'Mobile App Settings',
      pendingExpiresAt: null,
      topics: [],
    },
  ],
  version: 7,
  updatedAt: recordedAt,
  causationId: marketingPreferenceUpdated.eventId,
};

const deadLetter: DeadLetter = {
  service: 'identity-resolver',
  originalTopic: 'contact.inbound.v1',
  originalPartition: 4,
  originalOffset: '9007199254740993', // beyond 2^53: offsets travel as strings
  originalKey: Buffer.from('k3yedHash', 'utf8'),
  originalValue: Buffer.from([0x00, 0x00, 0x00, 0x00, 0x01, 0x02]),
  originalHeaders: [
    { key: 'traceparent', value: Buffer.from('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01') },
    { key: 'empty', value: null },
  ],
  errorCode: 'DECODE_FAILED',
  reason: 'unknown schema id 1',
  attempts: 3,
  firstFailedAt: occurredAt,
  lastFailedAt: recordedAt,
};

const fixtures: readonly [string, object, object][] = [
  ['marketing-preference-updated.v1', MarketingPreferenceUpdatedSchema, marketingPreferenceUpdated],
  ['contact-inbound.v1', ContactInboundSchema, contactInbound],
  ['identity.v1', IdentityEventSchema, identityEvent],
  ['contact-preferences-state.v1', ContactPreferencesStateSchema, contactPreferencesState],
  ['dead-letter.v1', DeadLetterSchema, deadLetter],
];

describe('schemas round-trip', () => {
  it('has a fixture for every schema', () => {
    expect(fixtures.map(([name]) => name).sort()).toEqual(Object.keys(SCHEMAS).sort());
  });

  it.each(fixtures)('%s: toBuffer → fromBuffer gives the fixture back', (_name, schema, fixture) => {
    const type = avroType(schema);
    expect(type.fromBuffer(type.toBuffer(fixture))).toEqual(fixture);
  });
});

describe('schema evolution', () => {
  it('reads a channel symbol added by a future writer as the enum default', () => {
    // A v1 schema whose Channel enum grew a symbol this reader does not know yet.
    const future = JSON.parse(JSON.stringify(MarketingPreferenceUpdatedSchema)) as {
      fields: { name: string; type: { symbols?: string[] } }[];
    };
    const channelField = future.fields.find((f) => f.name === 'channel');
    channelField?.type.symbols?.push('whatsapp');
    const writer = avroType(future);
    const reader = avroType(MarketingPreferenceUpdatedSchema);

    const written = writer.toBuffer({ ...marketingPreferenceUpdated, channel: 'whatsapp' });
    const read = reader.fromBuffer(written, reader.createResolver(writer)) as MarketingPreferenceUpdated;

    expect(read).toEqual({ ...marketingPreferenceUpdated, channel: 'unknown' });
  });
});

/** The schemas of the first release, as they were (test/released-0.1.0): what old producers and consumers use. */
const released = (name: string): Type =>
  avroType(
    JSON.parse(readFileSync(join(__dirname, '../test/released-0.1.0', `${name}.avsc`), 'utf8')) as object,
  );

describe('evolution from release 0.1.0 (topics, evidence, pending, precision)', () => {
  const evolved = fixtures.filter(([name]) => name !== 'identity.v1' && name !== 'dead-letter.v1');

  it.each(evolved)(
    '%s: a new consumer reads an old event with every added field at its default',
    (name, schema) => {
      const old = released(name);
      const reader = avroType(schema);
      const oldEvent = old.fromBuffer(old.toBuffer(old.random()));
      const read = reader.fromBuffer(old.toBuffer(oldEvent), reader.createResolver(old)) as Record<
        string,
        unknown
      >;
      for (const [field, value] of Object.entries(oldEvent as Record<string, unknown>))
        if (!['channels', 'preferenceChange'].includes(field)) expect(read[field]).toEqual(value);
    },
  );

  it.each(evolved)('%s: an old consumer still decodes a new event', (name, schema, fixture) => {
    const writer = avroType(schema);
    const old = released(name);
    expect(() => old.fromBuffer(writer.toBuffer(fixture), old.createResolver(writer))).not.toThrow();
  });

  it('an old event reads as topic null, evidence null, precision unknown', () => {
    const old = released('marketing-preference-updated.v1');
    const reader = avroType(MarketingPreferenceUpdatedSchema);
    const {
      topic: _topic,
      evidence: _evidence,
      occurredAtPrecision: _precision,
      sealedIpAddress: _ip,
      ...rest
    } = marketingPreferenceUpdated;
    const read = reader.fromBuffer(old.toBuffer(rest), reader.createResolver(old));
    expect(read).toEqual({
      ...rest,
      topic: null,
      evidence: null,
      pendingExpiresAt: null,
      occurredAtPrecision: 'unknown',
      originalOccurredAt: null,
      sealedIpAddress: null,
      sealedUserAgent: null,
    });
  });

  it('an old consumer reads pending as unknown and drops the topics it does not know', () => {
    const writer = avroType(ContactPreferencesStateSchema);
    const old = released('contact-preferences-state.v1');
    const pending = {
      ...contactPreferencesState,
      channels: [{ ...contactPreferencesState.channels[0]!, status: 'pending' as const }],
    };
    const read = old.fromBuffer(
      writer.toBuffer(pending),
      old.createResolver(writer),
    ) as ContactPreferencesState;
    expect(read.channels).toEqual([
      {
        channel: 'email',
        status: 'unknown',
        occurredAt,
        eventId: marketingPreferenceUpdated.eventId,
        sourceOfChange: 'Email Unsubscribe Link',
      },
    ]);
  });

  it('a writer may omit every added field: the defaults are written', () => {
    const type = avroType(MarketingPreferenceUpdatedSchema);
    const { topic: _t, evidence: _e, sealedIpAddress: _s, ...minimal } = marketingPreferenceUpdated;
    const read = type.fromBuffer(type.toBuffer(minimal)) as MarketingPreferenceUpdated;
    expect([read.topic, read.evidence, read.sealedIpAddress]).toEqual([null, null, null]);
  });
});
