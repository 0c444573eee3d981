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
};

const contactInbound: ContactInbound = {
  eventId: '0b8f6a3c-2d4e-5f61-8a7b-9c0d1e2f3a4b',
  source: { system: 'twilio', providerEventRef: 'SM2f1c6a0e9b7d4c3a8e5f0b1d2c3a4e5f' },
  occurredAt,
  receivedAt: recordedAt,
  identifiers: { externalId: null, email: null, phone: '+14155550123', anonymousId: null },
  kind: 'preference_change',
  preferenceChange: { channel: 'sms', newStatus: 'unsubscribed', sourceOfChange: 'SMS STOP Reply' },
  identify: null,
  pushPermissionChange: null,
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
    },
    {
      channel: 'push',
      status: 'subscribed',
      occurredAt: occurredAt - 86_400_000,
      eventId: 'e2',
      sourceOfChange: 'Mobile App Settings',
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
  sealedWithKeyId: null,
  redacted: null,
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
