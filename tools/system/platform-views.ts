import { loadTopicCatalogue } from '@optstream/consent-topics';
import type { SimulatorClient } from '@optstream/provider-simulators';
import { LOCAL_BRAZE_SMS_GROUP_ID, LOCAL_MAILCHIMP_LIST_ID } from './simulated-providers';

export interface PersonAddresses {
  readonly externalId: string;
  readonly email: string;
  readonly phone: string;
}

/** What every simulated platform holds for one person, in one flat line per platform (demo output). */
export async function platformViews(
  simulators: SimulatorClient,
  person: PersonAddresses,
): Promise<Record<string, string>> {
  const [suppressed, mailchimp, braze, attentivePhone, attentiveEmail, onesignal] = await Promise.all([
    simulators.isGloballySuppressed(person.email),
    simulators.mailchimpMember(LOCAL_MAILCHIMP_LIST_ID, person.email),
    simulators.brazeUser(person.externalId),
    simulators.attentiveSubscriptions(person.phone),
    simulators.attentiveSubscriptions(person.email),
    simulators.onesignalUser(person.externalId),
  ]);
  const groups = await sendgridGroupsSuppressed(simulators, person.email);
  const attentive = [...attentivePhone, ...attentiveEmail].map((s) => `${s.channel}:${s.status}`);
  return {
    SendGrid: `${suppressed ? 'email globally suppressed' : 'email not suppressed'}${groups}`,
    Mailchimp: mailchimp
      ? `member ${mailchimp.status}, SMS ${String(mailchimp.merge_fields['SMSSTATUS'] ?? '-')}, push ${String(mailchimp.merge_fields['PUSHSTATUS'] ?? '-')}`
      : 'no member',
    Braze: braze
      ? `email_subscribe ${braze.email_subscribe ?? '-'}, push_subscribe ${braze.push_subscribe ?? '-'}, SMS group ${braze.subscription_groups[LOCAL_BRAZE_SMS_GROUP_ID] ?? '-'}`
      : 'no user',
    Attentive: attentive.length > 0 ? attentive.join(', ') : 'no subscriptions',
    OneSignal: onesignal
      ? onesignal.subscriptions.map((s) => `${s.type} ${s.enabled ? 'enabled' : 'disabled'}`).join(', ')
      : 'no user',
  };
}

/** The catalogue topics whose SendGrid unsubscribe group holds the address: ", group 42 (newsletter) suppressed". */
async function sendgridGroupsSuppressed(simulators: SimulatorClient, email: string): Promise<string> {
  const topics = loadTopicCatalogue().catalogue.topics.flatMap((t) =>
    t.providers.sendgrid === undefined ? [] : [{ id: t.id, group: t.providers.sendgrid.unsubscribeGroupId }],
  );
  const held = await Promise.all(
    topics.map(async (t) =>
      (await simulators.sendgridGroupSuppressions(t.group)).includes(email.toLowerCase()) ? [t] : [],
    ),
  );
  return held
    .flat()
    .map((t) => `, group ${t.group} (${t.id}) suppressed`)
    .join('');
}
