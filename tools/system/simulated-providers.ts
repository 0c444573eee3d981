import { DEFAULT_SIMULATOR_CREDENTIALS } from '@optstream/provider-simulators';
import type { SimulatedProviders } from './system-env';

/** The Mailchimp audience and Braze SMS subscription group the local system syncs into. */
export const LOCAL_MAILCHIMP_LIST_ID = 'optstream-local';
export const LOCAL_BRAZE_SMS_GROUP_ID = '9b1f6c2e-0d4a-4c1e-9f7a-5a8e2b3c4d01';

/**
 * Connector settings that point every provider adapter at the simulators on `url`, with the
 * simulators' credentials (the same variables a real deployment sets to the vendors' values).
 */
export function simulatedProviders(url: string): SimulatedProviders {
  const c = DEFAULT_SIMULATOR_CREDENTIALS;
  return {
    url,
    env: {
      SENDGRID_API_URL: `${url}/sendgrid`,
      SENDGRID_API_KEY: c.sendgridApiKey,
      // The email connector mails double opt-in confirmations through SendGrid's Mail Send from this sender.
      DOUBLE_OPT_IN_MAIL_FROM: 'preferences@optstream.test',
      MAILCHIMP_API_URL: `${url}/mailchimp/3.0`,
      MAILCHIMP_API_KEY: c.mailchimpApiKey,
      MAILCHIMP_LIST_ID: LOCAL_MAILCHIMP_LIST_ID,
      BRAZE_API_URL: `${url}/braze`,
      BRAZE_API_KEY: c.brazeApiKey,
      BRAZE_SMS_SUBSCRIPTION_GROUP_ID: LOCAL_BRAZE_SMS_GROUP_ID,
      ONESIGNAL_API_URL: `${url}/onesignal`,
      ONESIGNAL_APP_ID: c.onesignalAppId,
      ONESIGNAL_API_KEY: c.onesignalApiKey,
      ATTENTIVE_API_URL: `${url}/attentive`,
      ATTENTIVE_CLIENT_ID: c.attentiveClientId,
      ATTENTIVE_CLIENT_SECRET: c.attentiveClientSecret,
    },
  };
}
