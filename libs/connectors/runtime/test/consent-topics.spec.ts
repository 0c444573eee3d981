import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { SCHEMAS, TOPICS, type ChannelPreference, type ContactPreferencesState } from '@optstream/contracts';
import { createAdapters } from '@optstream/connectors-providers';
import { AvroCodec, createKafkaClient, EventPublisher } from '@optstream/kafka';
import { startProviderSimulators, type ProviderSimulators } from '@optstream/provider-simulators';
import { testDatabaseUrl, testKafkaConfig, uniqueName, waitFor } from '@optstream/testing';
import { loadConnectorConfig, providersFromEnv, startConnectorRuntime, type ConnectorRuntime } from '../src';
import { IdentityFixture } from './identity-fixture';

jest.setTimeout(90_000);

const LIST = 'consent-topics-list';
/** The versioned catalogue (libs/shared/consent-topics/consent-topics.json). */
const NEWSLETTER = { group: 42, interest: 'a1b2c3d4e5', braze: '5a7e1f0c-3b2d-4c9e-8f1a-6d0b2e4c8a10' };
const PROMOTIONS = { group: 44, interest: 'f6e5d4c3b2', braze: '9b3f6a1d-2c8e-4d7a-b5f0-1e6c3a9d7b20' };

type Status = 'subscribed' | 'unsubscribed' | 'unknown';
interface Topic {
  readonly topic: string;
  readonly status: Status;
  readonly effectiveStatus: Status;
}

/** An email channel entry as the projector writes it: `unknown` = only topic choices on record. */
const email = (status: Status, version: number, source: string, topics: Topic[] = []): ChannelPreference => ({
  channel: 'email',
  status,
  occurredAt: status === 'unknown' ? 0 : 1_767_225_600_000 + version,
  eventId: status === 'unknown' ? '' : `e${version}`,
  sourceOfChange: source,
  topics: topics.map((t) => ({
    ...t,
    occurredAt: 1_767_225_600_000 + version,
    eventId: `t${version}`,
    sourceOfChange: source,
  })),
});

const stateOf = (
  externalId: string,
  version: number,
  channel: ChannelPreference,
): ContactPreferencesState => ({
  externalId,
  version,
  channels: [channel],
  updatedAt: 1_767_225_600_000 + version,
  causationId: `evt-${externalId}-${version}`,
});

/**
 * Issue cases 1, 2 and 6 of the consent model (docs/consent-model.md) at the last hop: state messages on
 * real Kafka, the real email connector with the real SendGrid, Mailchimp and Braze adapters (topic maps
 * from the versioned catalogue), the strict simulators as the platforms.
 */
describe('email connector: topics and channel-wide choices at each platform', () => {
  const stateTopic = uniqueName('state-topics');
  const kafkaConfig = testKafkaConfig();
  const masterKey = randomBytes(32).toString('base64');
  const identity = new IdentityFixture(testDatabaseUrl(), masterKey);
  let sims: ProviderSimulators;
  let runtime: ConnectorRuntime;
  let publisher: EventPublisher;

  beforeAll(async () => {
    sims = await startProviderSimulators({ port: 0 });
    await identity.ready();
    const config = loadConnectorConfig('email', {
      ...process.env,
      DATABASE_URL: testDatabaseUrl(),
      OPTSTREAM_MASTER_KEYS: `test=${masterKey}`,
      STATE_TOPIC: stateTopic,
      DEAD_LETTER_TOPIC: uniqueName('connectors-dlq-topics'),
      CONSUMER_GROUP: uniqueName('connector-topics'),
      TOPIC_PARTITIONS: '1',
      PARKED_POLL_INTERVAL_MS: '3600000',
      PORT: '0',
      LOG_LEVEL: 'error',
    });
    const creds = sims.credentials;
    const providers = providersFromEnv('connector-email-test', ['sendgrid', 'mailchimp', 'braze'], {
      SENDGRID_API_KEY: creds.sendgridApiKey,
      SENDGRID_API_URL: sims.baseUrl('sendgrid'),
      MAILCHIMP_API_KEY: creds.mailchimpApiKey,
      MAILCHIMP_LIST_ID: LIST,
      MAILCHIMP_API_URL: sims.baseUrl('mailchimp'),
      BRAZE_API_KEY: creds.brazeApiKey,
      BRAZE_API_URL: sims.baseUrl('braze'),
    });
    runtime = await startConnectorRuntime({ channel: 'email', config, adapters: createAdapters(providers) });
    const codec = AvroCodec.fromConfig(kafkaConfig);
    await codec.register(stateTopic, SCHEMAS[TOPICS.contactPreferencesState.valueSchema]);
    publisher = new EventPublisher(createKafkaClient(kafkaConfig, 'connector-topics-test'), codec, {});
    await publisher.connect();
  });
  beforeEach(() => {
    // The unsubscribe groups exist on the account (SendGrid answers 404 for an unknown group: SG-GRP).
    for (const id of [42, 43, 44]) sims.state.sendgrid.addGroup(id);
  });
  afterAll(async () => {
    await publisher?.disconnect();
    await runtime?.close();
    await sims?.close();
    await identity.close();
  });

  const person = async () => {
    const externalId = randomUUID();
    const address = `${externalId.slice(0, 8)}@example.com`;
    await identity.store(externalId, { email: address });
    return { externalId, address };
  };
  const publish = (state: ContactPreferencesState) =>
    publisher.publish(stateTopic, [{ key: state.externalId, value: state, eventId: state.causationId }]);
  /** The final condition: every provider recorded this version as delivered (never only "called"). */
  const delivered = (externalId: string, version: number) =>
    waitFor(
      async () =>
        (
          await runtime.db.query(
            `SELECT provider FROM connectors.deliveries WHERE connector = 'connector-email' AND external_id = $1 AND version = $2`,
            [externalId, version],
          )
        ).length === 3,
      { timeoutMs: 30_000, description: `version ${version} delivered to SendGrid, Mailchimp and Braze` },
    );
  const sendgridCalls = (address: string) =>
    sims
      .calls('sendgrid')
      .filter(
        (c) => c.path.includes(encodeURIComponent(address)) || JSON.stringify(c.body ?? '').includes(address),
      );

  it.each(['SendGrid unsubscribe', 'SendGrid spamreport'])(
    'case 1: after a global opt-out (%s), a group_resubscribe to group 42 leaves every platform opted out',
    async (optOut) => {
      const { externalId, address } = await person();
      await publish(stateOf(externalId, 1, email('unsubscribed', 1, optOut)));
      await delivered(externalId, 1);
      await publish(
        stateOf(
          externalId,
          2,
          email('unsubscribed', 1, optOut, [
            { topic: 'newsletter', status: 'subscribed', effectiveStatus: 'unsubscribed' },
          ]),
        ),
      );
      await delivered(externalId, 2);

      const sg = sims.state.sendgrid;
      expect(sg.isGloballySuppressed(address)).toBe(true);
      expect(sg.isSuppressedInGroup(NEWSLETTER.group, address)).toBe(false);
      expect(sg.wouldDeliver(address, NEWSLETTER.group)).toBe(false);
      expect(
        sendgridCalls(address)
          .filter((c) => c.method === 'DELETE')
          .map((c) => c.path),
      ).toEqual([`/v3/asm/groups/42/suppressions/${encodeURIComponent(address)}`]);
      expect(sims.state.mailchimp.member(LIST, address)).toMatchObject({
        status: 'unsubscribed',
        interests: { [NEWSLETTER.interest]: false },
      });
      expect(sims.state.braze.user(externalId)).toMatchObject({
        email_subscribe: 'unsubscribed',
        subscription_groups: { [NEWSLETTER.braze]: 'subscribed' },
      });
      expect(sims.state.braze.receivesEmail(externalId, NEWSLETTER.braze)).toBe(false);
    },
  );

  it('case 2: a group_unsubscribe from promotions changes only that topic on every platform', async () => {
    const { externalId, address } = await person();
    await publish(stateOf(externalId, 1, email('subscribed', 1, 'Signup Form')));
    await delivered(externalId, 1);
    await publish(
      stateOf(
        externalId,
        2,
        email('subscribed', 1, 'Signup Form', [
          { topic: 'promotions', status: 'unsubscribed', effectiveStatus: 'unsubscribed' },
        ]),
      ),
    );
    await delivered(externalId, 2);

    const sg = sims.state.sendgrid;
    expect(sg.isGloballySuppressed(address)).toBe(false);
    expect(sg.groupSuppressions(PROMOTIONS.group)).toEqual([address]);
    expect(sg.wouldDeliver(address, PROMOTIONS.group)).toBe(false);
    expect(sg.wouldDeliver(address, NEWSLETTER.group)).toBe(true);
    expect(sims.state.mailchimp.member(LIST, address)).toMatchObject({
      status: 'subscribed',
      interests: { [PROMOTIONS.interest]: false },
    });
    expect(sims.state.braze.user(externalId)).toMatchObject({
      email_subscribe: 'opted_in',
      subscription_groups: { [PROMOTIONS.braze]: 'unsubscribed' },
    });
    expect(sims.state.braze.receivesEmail(externalId)).toBe(true);
  });

  it('a topic choice with no channel-wide choice on record writes only the topic', async () => {
    const { externalId, address } = await person();
    await publish(
      stateOf(
        externalId,
        1,
        email('unknown', 1, 'SendGrid group_unsubscribe', [
          { topic: 'newsletter', status: 'unsubscribed', effectiveStatus: 'unsubscribed' },
        ]),
      ),
    );
    await delivered(externalId, 1);
    expect(sims.state.sendgrid.isGloballySuppressed(address)).toBe(false);
    expect(sims.state.sendgrid.groupSuppressions(NEWSLETTER.group)).toEqual([address]);
    // A new Mailchimp member is never made a marketing subscriber by a topic alone.
    expect(sims.state.mailchimp.member(LIST, address)).toMatchObject({
      status: 'transactional',
      interests: { [NEWSLETTER.interest]: false },
    });
    expect(sims.state.braze.user(externalId)?.email_subscribe).toBeUndefined();
  });

  it('case 6: a channel-wide re-subscribe of a Mailchimp member who unsubscribed goes through pending', async () => {
    const { externalId, address } = await person();
    await publish(stateOf(externalId, 1, email('unsubscribed', 1, 'Mailchimp unsubscribe')));
    await delivered(externalId, 1);
    await publish(stateOf(externalId, 2, email('subscribed', 2, 'Preference Center')));
    await delivered(externalId, 2);

    expect(sims.state.mailchimp.member(LIST, address)?.status).toBe('pending');
    expect(sims.state.mailchimp.confirmationsSent()).toContain(address);
    const puts = sims
      .calls('mailchimp')
      .filter((c) => c.method === 'PUT' && (c.body as { email_address?: string }).email_address === address);
    expect(puts.map((c) => [(c.body as { status?: string }).status, c.status])).toEqual([
      ['unsubscribed', 200],
      ['subscribed', 400],
      ['pending', 200],
    ]);
    expect(sims.state.sendgrid.isGloballySuppressed(address)).toBe(false);
    expect(sims.state.braze.user(externalId)?.email_subscribe).toBe('opted_in');
  });
});

/** A channel entry as the projector writes it, for any channel. */
const preference = (
  channel: 'sms' | 'push',
  status: Status,
  version: number,
  source: string,
  topics: Topic[] = [],
): ChannelPreference => ({ ...email(status, version, source, topics), channel });

/**
 * One channel connector on real Kafka with the real adapters of `providers` (topic maps from the
 * versioned catalogue) against the strict simulators; `delivered` waits until every provider recorded
 * a version as delivered.
 */
function channelConnector(
  channel: 'sms' | 'push',
  providers: string[],
  env: (s: ProviderSimulators) => NodeJS.ProcessEnv,
) {
  const stateTopic = uniqueName(`state-topics-${channel}`);
  const kafkaConfig = testKafkaConfig();
  const masterKey = randomBytes(32).toString('base64');
  const identity = new IdentityFixture(testDatabaseUrl(), masterKey);
  const running = {} as { sims: ProviderSimulators; runtime: ConnectorRuntime; publisher: EventPublisher };

  beforeAll(async () => {
    running.sims = await startProviderSimulators({ port: 0 });
    await identity.ready();
    const config = loadConnectorConfig(channel, {
      ...process.env,
      DATABASE_URL: testDatabaseUrl(),
      OPTSTREAM_MASTER_KEYS: `test=${masterKey}`,
      STATE_TOPIC: stateTopic,
      DEAD_LETTER_TOPIC: uniqueName(`connectors-dlq-topics-${channel}`),
      CONSUMER_GROUP: uniqueName(`connector-topics-${channel}`),
      TOPIC_PARTITIONS: '1',
      PARKED_POLL_INTERVAL_MS: '3600000',
      PORT: '0',
      LOG_LEVEL: 'error',
    });
    const adapters = createAdapters(
      providersFromEnv(`connector-${channel}-test`, providers, env(running.sims)),
    );
    running.runtime = await startConnectorRuntime({ channel, config, adapters });
    const codec = AvroCodec.fromConfig(kafkaConfig);
    await codec.register(stateTopic, SCHEMAS[TOPICS.contactPreferencesState.valueSchema]);
    running.publisher = new EventPublisher(
      createKafkaClient(kafkaConfig, `connector-topics-${channel}-test`),
      codec,
      {},
    );
    await running.publisher.connect();
  });
  afterAll(async () => {
    await running.publisher?.disconnect();
    await running.runtime?.close();
    await running.sims?.close();
    await identity.close();
  });

  return {
    sims: () => running.sims,
    identity,
    publish: (state: ContactPreferencesState) =>
      running.publisher.publish(stateTopic, [
        { key: state.externalId, value: state, eventId: state.causationId },
      ]),
    delivered: (externalId: string, version: number) =>
      waitFor(
        async () =>
          (
            await running.runtime.db.query(
              `SELECT provider FROM connectors.deliveries WHERE connector = $1 AND external_id = $2 AND version = $3`,
              [`connector-${channel}`, externalId, version],
            )
          ).length === providers.length,
        { timeoutMs: 30_000, description: `version ${version} delivered to ${providers.join(', ')}` },
      ),
  };
}

describe('sms connector: a topic is its Attentive subscription type (catalogue: promotions → MARKETING)', () => {
  const c = channelConnector('sms', ['attentive'], (sims) => ({
    ATTENTIVE_CLIENT_ID: sims.credentials.attentiveClientId,
    ATTENTIVE_CLIENT_SECRET: sims.credentials.attentiveClientSecret,
    ATTENTIVE_API_URL: sims.baseUrl('attentive'),
    // Subscribes forwarded too, so the test sees that a topic resubscribe still sends none.
    ATTENTIVE_SEND_SUBSCRIBES: 'true',
  }));

  it('an SMS opt-out from promotions unsubscribes its type; a topic resubscribe after STOP subscribes nothing', async () => {
    const externalId = randomUUID();
    const phone = `+1415${randomInt(2_000_000, 9_999_999)}`;
    await c.identity.store(externalId, { phone });
    await c.publish(
      stateOf(
        externalId,
        1,
        preference('sms', 'subscribed', 1, 'Signup Form', [
          { topic: 'promotions', status: 'unsubscribed', effectiveStatus: 'unsubscribed' },
        ]),
      ),
    );
    await c.delivered(externalId, 1);
    // Attentive has no finer grain than the type: the topic's opt-out wins over the channel's opt-in.
    expect(c.sims().state.attentive.subscription(phone, 'MARKETING', 'TEXT')?.status).toBe('UNSUBSCRIBED');

    await c.publish(
      stateOf(
        externalId,
        2,
        preference('sms', 'unsubscribed', 2, 'SMS STOP Reply', [
          { topic: 'promotions', status: 'subscribed', effectiveStatus: 'unsubscribed' },
        ]),
      ),
    );
    await c.delivered(externalId, 2);
    expect(c.sims().state.attentive.subscription(phone, 'MARKETING', 'TEXT')?.status).toBe('UNSUBSCRIBED');
    const subscribes = c
      .sims()
      .calls('attentive')
      .filter(
        (call) =>
          call.method === 'POST' &&
          call.path === '/v1/subscriptions' &&
          JSON.stringify(call.body).includes(phone),
      );
    expect(subscribes).toEqual([]);
  });
});

describe('push connector: a topic is its OneSignal tag (catalogue: product-updates → topic_product_updates)', () => {
  const c = channelConnector('push', ['onesignal'], (sims) => ({
    ONESIGNAL_APP_ID: sims.credentials.onesignalAppId,
    ONESIGNAL_API_KEY: sims.credentials.onesignalApiKey,
    ONESIGNAL_API_URL: sims.baseUrl('onesignal'),
  }));
  const TAG = 'topic_product_updates';

  it('tags the user while the topic is in, removes the tag when out, and when push is off whatever the topic says', async () => {
    const externalId = randomUUID();
    await c.identity.store(externalId, {});
    c.sims().state.onesignal.seedUser(externalId, [{ type: 'iOSPush', token: randomUUID() }]);
    const tags = () => c.sims().state.onesignal.user(externalId)?.properties.tags;
    const topic = (status: Status, effectiveStatus: Status): Topic[] => [
      { topic: 'product-updates', status, effectiveStatus },
    ];

    await c.publish(
      stateOf(externalId, 1, preference('push', 'subscribed', 1, 'App', topic('subscribed', 'subscribed'))),
    );
    await c.delivered(externalId, 1);
    expect(tags()).toEqual({ [TAG]: '1' });

    await c.publish(
      stateOf(
        externalId,
        2,
        preference('push', 'subscribed', 1, 'App', topic('unsubscribed', 'unsubscribed')),
      ),
    );
    await c.delivered(externalId, 2);
    expect(tags()).toEqual({});

    await c.publish(
      stateOf(externalId, 3, preference('push', 'subscribed', 1, 'App', topic('subscribed', 'subscribed'))),
    );
    await c.delivered(externalId, 3);
    expect(tags()).toEqual({ [TAG]: '1' });

    // Push turned off: the topic's own choice stays on record, the tag goes (effective status).
    await c.publish(
      stateOf(
        externalId,
        4,
        preference('push', 'unsubscribed', 4, 'Mobile App Settings', topic('subscribed', 'unsubscribed')),
      ),
    );
    await c.delivered(externalId, 4);
    expect(tags()).toEqual({});
    expect(
      c
        .sims()
        .state.onesignal.user(externalId)
        ?.subscriptions.map((s) => s.enabled),
    ).toEqual([false]);
  });
});
