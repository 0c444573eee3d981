import type { Brand } from './brand';
import { escapeHtml, layout, type Page } from './html';
import { format, type MessageKey, type Messages } from './messages';

export interface LinkPageContext {
  readonly brand: Brand;
  readonly messages: Messages;
  readonly channel: string;
  /** The topic's display name when the link is about one topic. */
  readonly topicName: string | null;
}

/** "email", or "Weekly newsletter (email)": what the link is about, in the page's language. */
const subject = (c: LinkPageContext): string => {
  const channel = c.messages[`channel.${c.channel}` as MessageKey] ?? c.channel;
  return c.topicName ? `${c.topicName} (${channel})` : channel;
};

/**
 * What a GET of an unsubscribe link shows: a question and a button. A GET never changes consent (mail
 * scanners prefetch links); the button posts the same body a mail client's one-click sends (RFC 8058).
 */
export function renderUnsubscribeConfirm(c: LinkPageContext, action: string): Page {
  const m = c.messages;
  return layout(
    c.brand,
    m,
    m['unsubscribe.title'],
    `<p>${escapeHtml(format(m['unsubscribe.question'], { what: subject(c), brand: c.brand.name }))}</p>
<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit" class="primary">${escapeHtml(m['unsubscribe.button'])}</button>
</form>`,
  );
}

export function renderUnsubscribeDone(c: LinkPageContext, preferencesUrl: string | null): Page {
  const m = c.messages;
  const manage = preferencesUrl
    ? `<p><a href="${escapeHtml(preferencesUrl)}">${escapeHtml(m['unsubscribe.manage'])}</a></p>`
    : '';
  return layout(
    c.brand,
    m,
    m['unsubscribe.title'],
    `<p class="notice" role="status">${escapeHtml(format(m['unsubscribe.done'], { what: subject(c) }))}</p>${manage}`,
  );
}

/** A double opt-in link: GET asks, POST confirms (a scanner's prefetch must not confirm for the person). */
export function renderConfirmQuestion(c: LinkPageContext, action: string): Page {
  const m = c.messages;
  return layout(
    c.brand,
    m,
    m['confirm.title'],
    `<p>${escapeHtml(format(m['confirm.question'], { what: subject(c), brand: c.brand.name }))}</p>
<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="confirm" value="yes">
<button type="submit" class="primary">${escapeHtml(m['confirm.button'])}</button>
</form>`,
  );
}

export function renderConfirmDone(c: LinkPageContext): Page {
  const m = c.messages;
  return layout(
    c.brand,
    m,
    m['confirm.title'],
    `<p class="notice" role="status">${escapeHtml(format(m['confirm.done'], { what: subject(c) }))}</p>`,
  );
}

export type Refusal = 'invalid' | 'expired' | 'erased' | 'unavailable' | 'form';
const REFUSAL_STATUS: Readonly<Record<Refusal, number>> = {
  invalid: 400,
  expired: 410,
  erased: 410,
  unavailable: 503,
  form: 400,
};

/** A clear page for a link that cannot be used; it never says more than the person needs. */
export function renderRefusal(brand: Brand, messages: Messages, refusal: Refusal): Page {
  return layout(
    brand,
    messages,
    messages['refused.title'],
    `<p>${escapeHtml(messages[`refused.${refusal}`])}</p>`,
    REFUSAL_STATUS[refusal],
  );
}
