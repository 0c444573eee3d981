import type { ProviderName } from './types';

/** Where each provider lives under the simulator root; root + mount = the adapter's API base URL. */
export const PROVIDER_MOUNTS: Readonly<Record<ProviderName, string>> = {
  sendgrid: '/sendgrid',
  mailchimp: '/mailchimp/3.0',
  braze: '/braze',
  onesignal: '/onesignal',
  attentive: '/attentive',
};
