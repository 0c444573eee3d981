import { randomInt, randomUUID } from 'node:crypto';
import { SimulatorClient, WebhookSender } from '@optstream/provider-simulators';
import { localServicePorts, platformViews, type PersonAddresses } from '@optstream/local-system';
import { devSecrets } from './dev-secrets';
import { loadStackSettings } from './stack/settings';

/**
 * `npm run demo`: plays the opt-out scenarios against the system `npm start` runs — an email
 * unsubscribe link (signed SendGrid webhook), leaving one newsletter (SendGrid `group_unsubscribe` of
 * the catalogue's unsubscribe group 42: that topic only), an SMS STOP reply (signed Twilio webhook) and
 * push turned off in the app (Segment-style track) — showing the read model before and after, what every platform
 * holds, and how long each took to reach all of them.
 */
const ports = localServicePorts();
const gatewayUrl = `http://127.0.0.1:${ports['ingestion-gateway']}`;
const readApi = `http://127.0.0.1:${ports['preference-projector']}`;
const secrets = devSecrets(loadStackSettings().runDir);
const readKey = secrets.READ_API_KEYS.split(':')[0] ?? '';
const simulators = new SimulatorClient(`http://127.0.0.1:${ports['provider-simulators']}`);
const webhooks = new WebhookSender({
  gatewayUrl,
  sendgridPrivateKey: secrets.SENDGRID_SIGNING_PRIVATE_KEY,
  twilioAuthToken: secrets.TWILIO_AUTH_TOKEN,
  twilioWebhookUrl: `${gatewayUrl}/webhooks/twilio/sms`,
  segmentWriteKey: secrets.SEGMENT_WRITE_KEYS.split('=')[0] ?? '',
});

async function readModel(externalId: string): Promise<string> {
  const res = await fetch(`${readApi}/v1/contacts/${externalId}`, { headers: { 'x-api-key': readKey } });
  if (res.status === 404) return 'unknown contact';
  const body = (await res.json()) as {
    channels: Record<string, { status: string; sourceOfChange: string } | null>;
  };
  return Object.entries(body.channels)
    .map(([channel, v]) => `${channel} ${v ? `${v.status} (${v.sourceOfChange})` : '-'}`)
    .join(', ');
}

async function until(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<number> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return Date.now() - started;
}

async function newSubscribedPerson(): Promise<PersonAddresses> {
  const externalId = randomUUID();
  const person = {
    externalId,
    email: `demo.${externalId.slice(0, 8)}@example.com`,
    phone: `+1415${randomInt(2_000_000, 9_999_999)}`,
  };
  await simulators.seedOnesignalUser(externalId, [
    { type: 'iOSPush', token: randomUUID() },
    { type: 'Email', token: person.email },
    { type: 'SMS', token: person.phone },
  ]);
  await webhooks.segmentIdentify({
    userId: externalId,
    traits: {
      email: person.email,
      phone: person.phone,
      email_subscribed_status: 'subscribed',
      sms_subscribed_status: 'subscribed',
      push_notification_enabled: true,
    },
  });
  await until(async () => (await simulators.brazeUser(externalId))?.push_subscribe === 'opted_in');
  return person;
}

async function scenario(
  title: string,
  act: (person: PersonAddresses) => Promise<{ status: number }>,
  done: (views: Record<string, string>) => boolean,
): Promise<void> {
  const person = await newSubscribedPerson();
  console.log(`\n== ${title} — contact ${person.externalId}`);
  console.log(`   read model before: ${await readModel(person.externalId)}`);
  const started = Date.now();
  const answer = await act(person);
  console.log(`   gateway answered ${answer.status} in ${Date.now() - started} ms`);
  await until(async () => done(await platformViews(simulators, person)));
  console.log(`   every platform updated ${Date.now() - started} ms after the webhook:`);
  for (const [platform, view] of Object.entries(await platformViews(simulators, person)))
    console.log(`     ${platform.padEnd(10)} ${view}`);
  console.log(`   read model after:  ${await readModel(person.externalId)}`);
  console.log(
    `   the event in the log (marketing-preference-updated.v1): ${await latestEvent(person.externalId)}`,
  );
}

/** The newest "Marketing Preference Updated" event of the contact, as the projector took it from the log. */
async function latestEvent(externalId: string): Promise<string> {
  const res = await fetch(`${readApi}/v1/contacts/${externalId}/history`, {
    headers: { 'x-api-key': readKey },
  });
  const { events } = (await res.json()) as {
    events: {
      eventId: string;
      channel: string;
      status: string;
      occurredAt: string;
      recordedAt: string;
      sourceOfChange: string;
      source: { system: string; providerEventRef: string };
    }[];
  };
  const e = [...events].sort((a, b) => a.recordedAt.localeCompare(b.recordedAt)).pop();
  return e
    ? `${e.eventId} ${e.channel} ${e.status} "${e.sourceOfChange}" from ${e.source.system} (${e.source.providerEventRef}), occurred ${e.occurredAt}, recorded ${e.recordedAt}`
    : 'none';
}

async function main(): Promise<void> {
  await scenario(
    'Email unsubscribe link (signed SendGrid Event Webhook)',
    (p) =>
      webhooks.sendgrid([
        {
          email: p.email,
          event: 'unsubscribe',
          timestamp: Math.floor(Date.now() / 1000),
          sg_event_id: randomUUID(),
        },
      ]),
    (v) =>
      (v['SendGrid'] ?? '').startsWith('email globally suppressed') &&
      (v['Braze'] ?? '').includes('email_subscribe unsubscribed'),
  );
  await scenario(
    'One newsletter left (signed SendGrid Event Webhook, group_unsubscribe of unsubscribe group 42)',
    (p) =>
      webhooks.sendgrid([
        {
          email: p.email,
          event: 'group_unsubscribe',
          asm_group_id: 42,
          timestamp: Math.floor(Date.now() / 1000),
          sg_event_id: randomUUID(),
        },
      ]),
    // The topic only: every other email keeps flowing (docs/consent-model.md).
    (v) => v['SendGrid'] === 'email not suppressed, group 42 (newsletter) suppressed',
  );
  await scenario(
    'SMS STOP reply (signed Twilio inbound SMS webhook)',
    (p) => webhooks.twilioSms({ from: p.phone, to: '+18005550100', body: 'STOP' }),
    (v) =>
      (v['Braze'] ?? '').includes('SMS group unsubscribed') &&
      (v['Attentive'] ?? '').includes('TEXT:UNSUBSCRIBED'),
  );
  await scenario(
    'Push turned off in the app (Segment-style track)',
    (p) =>
      webhooks.segmentTrack({
        userId: p.externalId,
        event: 'Marketing Preference Updated',
        properties: { channel: 'push', new_status: 'unsubscribed', source_of_change: 'Mobile App Settings' },
      }),
    (v) =>
      (v['Braze'] ?? '').includes('push_subscribe unsubscribed') &&
      (v['OneSignal'] ?? '').includes('iOSPush disabled'),
  );
  console.log(
    '\nThe events are in marketing-preference-updated.v1: `npm run optstream -- history --contact <externalId>`.',
  );
}

main().catch((error: unknown) => {
  console.error(
    `demo failed: ${error instanceof Error ? error.message : String(error)} — is \`npm start\` running?`,
  );
  process.exit(1);
});
