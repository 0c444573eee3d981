import type { Brand } from './brand';
import { escapeHtml, layout, type Page } from './html';
import { format, type MessageKey, type Messages } from './messages';

export type PageChannel = 'email' | 'sms' | 'push';
export const PAGE_CHANNELS: readonly PageChannel[] = ['email', 'sms', 'push'];
export type Choice = 'subscribed' | 'unsubscribed';
export type ShownStatus = Choice | 'pending' | 'unknown';

/** A contact's consent as the read API shows it: per channel, the channel-wide status and each topic's. */
export type ContactConsent = Readonly<
  Record<
    PageChannel,
    {
      readonly status: string;
      readonly topics?: readonly { readonly topic: string; readonly status: string }[];
    } | null
  >
>;

export interface TopicOption {
  readonly id: string;
  readonly name: string;
  readonly channels: readonly string[];
}

/** One line of the form: a channel as a whole, or one of its topics. */
export interface CenterRow {
  /** The form field: `c.<channel>` or `t.<channel>.<topic>`. */
  readonly name: string;
  readonly channel: PageChannel;
  readonly topic: string | null;
  readonly label: string;
  readonly status: ShownStatus;
  /** What the person may choose here; empty: shown, not changeable (with a hint why). */
  readonly choices: readonly Choice[];
  readonly hint: string | null;
}

const shown = (status: string | undefined): ShownStatus =>
  status === 'subscribed' || status === 'unsubscribed' || status === 'pending' ? status : 'unknown';

/**
 * The rows of the page. Email may be chosen again (through double opt-in); SMS and push can be turned off
 * here but only turned on where the law and the platform need them to be (a START reply, the app's
 * permission prompt). A topic is changeable while its channel is on; otherwise it follows the channel.
 */
export function centerRows(
  consent: ContactConsent,
  topics: readonly TopicOption[],
  messages: Messages,
): CenterRow[] {
  return PAGE_CHANNELS.flatMap((channel) => {
    const entry = consent[channel];
    const status = shown(entry?.status);
    const on = status === 'subscribed';
    const channelName = messages[`channel.${channel}` as MessageKey];
    const channelRow: CenterRow = {
      name: `c.${channel}`,
      channel,
      topic: null,
      label: format(messages['topic.allOf'], { channel: channelName }),
      status,
      choices: channel === 'email' || on || status === 'pending' ? ['subscribed', 'unsubscribed'] : [],
      hint:
        channel === 'email'
          ? on
            ? null
            : messages['email.resubscribeHint']
          : on
            ? null
            : messages[`${channel}.resubscribeHint` as MessageKey],
    };
    const topicRows = topics
      .filter((t) => t.channels.includes(channel))
      .map((t): CenterRow => {
        const own = entry?.topics?.find((e) => e.topic === t.id);
        return {
          name: `t.${channel}.${t.id}`,
          channel,
          topic: t.id,
          label: messages[`topicName.${t.id}` as MessageKey] ?? t.name,
          status: on
            ? own
              ? shown(own.status)
              : 'subscribed'
            : status === 'unknown'
              ? 'unknown'
              : 'unsubscribed',
          choices: on ? ['subscribed', 'unsubscribed'] : [],
          hint: on ? null : format(messages['topic.followsChannel'], { channel: channelName }),
        };
      });
    return [channelRow, ...topicRows];
  });
}

export interface FormChange {
  readonly channel: PageChannel;
  readonly topic: string | null;
  readonly choice: Choice;
}

export type FormResult =
  | { readonly ok: true; readonly changes: FormChange[] }
  | { readonly ok: false; readonly reason: string };

/**
 * What the person changed: every row whose submitted choice differs from its current status. "Unsubscribe
 * from everything" turns off every channel as a whole, whatever was chosen in the rows.
 */
export function parseCenterForm(fields: ReadonlyMap<string, string>, rows: readonly CenterRow[]): FormResult {
  if (fields.get('action') === 'unsubscribe-all')
    return {
      ok: true,
      changes: PAGE_CHANNELS.map((channel) => ({ channel, topic: null, choice: 'unsubscribed' })),
    };
  if (fields.get('action') !== 'save') return { ok: false, reason: 'action must be save or unsubscribe-all' };
  const changes: FormChange[] = [];
  for (const row of rows) {
    const submitted = fields.get(row.name);
    if (submitted === undefined || row.choices.length === 0) continue;
    if (!row.choices.includes(submitted as Choice))
      return { ok: false, reason: `${row.name} must be one of ${row.choices.join(', ')}` };
    if (submitted !== row.status && !(submitted === 'subscribed' && row.status === 'pending'))
      changes.push({ channel: row.channel, topic: row.topic, choice: submitted as Choice });
  }
  return { ok: true, changes };
}

export interface CenterView {
  readonly brand: Brand;
  readonly messages: Messages;
  readonly rows: readonly CenterRow[];
  /** The form posts here (the page's own URL). */
  readonly action: string;
  readonly csrf: string;
  readonly submission: string;
  readonly notice: 'saved' | 'confirmSent' | null;
}

export function renderCenter(view: CenterView): Page {
  const m = view.messages;
  const notice = view.notice ? `<p class="notice" role="status">${escapeHtml(m[view.notice])}</p>` : '';
  const body = `${notice}
<p>${escapeHtml(format(m.intro, { brand: view.brand.name }))}</p>
<form method="post" action="${escapeHtml(view.action)}">
<input type="hidden" name="csrf" value="${escapeHtml(view.csrf)}">
<input type="hidden" name="submission" value="${escapeHtml(view.submission)}">
${PAGE_CHANNELS.map((channel) =>
  channelFieldset(
    channel,
    view.rows.filter((r) => r.channel === channel),
    m,
  ),
).join('\n')}
<p>${escapeHtml(m.consent)}</p>
<div class="actions">
<button type="submit" class="primary" name="action" value="save">${escapeHtml(m.save)}</button>
<button type="submit" class="secondary" name="action" value="unsubscribe-all">${escapeHtml(m.unsubscribeAll)}</button>
</div>
</form>`;
  return layout(view.brand, m, m.title, body);
}

function channelFieldset(channel: PageChannel, rows: readonly CenterRow[], m: Messages): string {
  return `<fieldset>
<legend>${escapeHtml(m[`channel.${channel}` as MessageKey])}</legend>
${rows.map((row) => rowHtml(row, m)).join('\n')}
</fieldset>`;
}

function rowHtml(row: CenterRow, m: Messages): string {
  const id = row.name.replace(/[^A-Za-z0-9_-]/g, '_');
  const statusText = m[`status.${row.status}` as MessageKey];
  const hint = row.hint ? `<p class="hint" id="${id}-hint">${escapeHtml(row.hint)}</p>` : '';
  const described = row.hint
    ? ` aria-describedby="${id}-status ${id}-hint"`
    : ` aria-describedby="${id}-status"`;
  if (row.choices.length === 0)
    return `<div class="row"><p><strong>${escapeHtml(row.label)}</strong>: <span id="${id}-status">${escapeHtml(statusText)}</span></p>${hint}</div>`;
  const checked: Choice =
    row.status === 'unsubscribed' || row.status === 'unknown' ? 'unsubscribed' : 'subscribed';
  const radios = row.choices
    .map((choice) => {
      const text = m[choice === 'subscribed' ? 'choice.subscribe' : 'choice.unsubscribe'];
      const on = choice === checked ? ' checked' : '';
      return `<label><input type="radio" name="${escapeHtml(row.name)}" value="${choice}"${on}> ${escapeHtml(text)}</label>`;
    })
    .join('\n');
  return `<div class="row" role="radiogroup" aria-labelledby="${id}-label"${described}>
<p><strong id="${id}-label">${escapeHtml(row.label)}</strong>: <span id="${id}-status">${escapeHtml(statusText)}</span></p>
<div class="choices">${radios}</div>${hint}
</div>`;
}
