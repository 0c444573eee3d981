import { AttentiveState } from './providers/attentive';
import { BrazeState } from './providers/braze';
import { MailchimpState } from './providers/mailchimp';
import { OnesignalState } from './providers/onesignal';
import { SendgridState } from './providers/sendgrid';
import type { ProviderName } from './types';

/** What each provider "thinks" now; tests read it and seed it (OneSignal users, SendGrid groups). */
export interface SimulatorState {
  readonly sendgrid: SendgridState;
  readonly mailchimp: MailchimpState;
  readonly braze: BrazeState;
  readonly onesignal: OnesignalState;
  readonly attentive: AttentiveState;
}

export function createSimulatorState(
  countEffect: (provider: ProviderName) => (n?: number) => void,
): SimulatorState {
  return {
    sendgrid: new SendgridState(countEffect('sendgrid')),
    mailchimp: new MailchimpState(countEffect('mailchimp')),
    braze: new BrazeState(countEffect('braze')),
    onesignal: new OnesignalState(countEffect('onesignal')),
    attentive: new AttentiveState(countEffect('attentive')),
  };
}

export function resetSimulatorState(state: SimulatorState): void {
  for (const provider of Object.values(state)) provider.reset();
}
