import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UsageError } from '../usage-error';

export type BackfillChannel = 'email' | 'sms' | 'push';
export type BackfillStatus = 'subscribed' | 'unsubscribed';

/**
 * How one channel's consent is read from a row. The status comes from the first of these that gives one:
 * 1. `status`: the first of these columns present in the header, its (trimmed, case-insensitive) value
 *    looked up in `values` (an empty cell gives nothing; a value in no list rejects the row: BAD_STATUS);
 * 2. `statusFromColumns`: the first entry whose column holds a non-empty value;
 * 3. `constant` (an opt-out list: every row is an unsubscribe).
 * The rule applies only to rows whose `when` column holds one of `equals` (an absent column or empty cell
 * counts as ""). Its time is the first non-empty of its own `timestamp` columns, else of the row's.
 */
export interface ChannelRule {
  readonly channel: BackfillChannel;
  readonly status?: readonly string[];
  readonly values?: {
    readonly subscribed: readonly string[];
    readonly unsubscribed: readonly string[];
    readonly ignore?: readonly string[];
  };
  readonly statusFromColumns?: readonly { readonly column: string; readonly status: BackfillStatus }[];
  readonly constant?: BackfillStatus;
  readonly timestamp?: readonly string[];
  readonly when?: { readonly column: readonly string[]; readonly equals: readonly string[] };
}

/** A column mapping: built in for the common exports, or a JSON mapping file (same shape). */
export interface Mapping {
  readonly name: string;
  /** Candidate header names per identifier: the first one present in the header is used (case-insensitive). */
  readonly externalId?: readonly string[];
  readonly email?: readonly string[];
  readonly phone?: readonly string[];
  /** The row's time: first non-empty of these columns. */
  readonly timestamp?: readonly string[];
  readonly channels: readonly ChannelRule[];
  /** Columns that are known and deliberately not used. */
  readonly ignore?: readonly string[];
  /** A non-empty cell in a column the mapping does not name: reject the row (UNKNOWN_COLUMN) or ignore it. */
  readonly unknownColumns?: 'reject' | 'ignore';
  /** For phones written without "+": ISO 3166 region; default from --default-region (US). */
  readonly defaultRegion?: string;
  /** `--format auto` picks the first built-in format whose every detect column is in the header. */
  readonly detect?: readonly string[];
}

const BOOL = { subscribed: ['true', '1', 'yes'], unsubscribed: ['false', '0', 'no'] };
const PUSH_TYPES = [
  'iospush',
  'androidpush',
  'huaweipush',
  'fireospush',
  'windowspush',
  'macospush',
  'chromeextensionpush',
  'chromepush',
  'safarilegacypush',
  'firefoxpush',
  'safaripush',
];

/**
 * Built-in mappings. Column names are ASSUMPTIONS unless noted: docs/providers.md documents
 * the APIs, not the CSV exports, so each follows the vendor's API field names (docs/cli.md lists them).
 */
export const BUILT_IN_FORMATS: Readonly<Record<string, Mapping>> = {
  // SendGrid suppression export: the API's {email, created (Unix seconds)} as columns. Every row is an
  // email unsubscribe (global or group list alike).
  'sendgrid-suppressions': {
    name: 'sendgrid-suppressions',
    email: ['email'],
    timestamp: ['created', 'created_at'],
    channels: [{ channel: 'email', constant: 'unsubscribed' }],
    ignore: ['group_id', 'group_name', 'reason', 'status'],
    unknownColumns: 'ignore',
    detect: ['email', 'created'],
  },
  // Mailchimp audience export (one CSV per status: subscribed / unsubscribed / cleaned). A Status column
  // wins when present; otherwise UNSUB_TIME / CLEAN_TIME mark unsubscribed and cleaned members.
  'mailchimp-audience': {
    name: 'mailchimp-audience',
    email: ['Email Address'],
    timestamp: ['UNSUB_TIME', 'CLEAN_TIME', 'LAST_CHANGED', 'CONFIRM_TIME', 'OPTIN_TIME'],
    channels: [
      {
        channel: 'email',
        status: ['Status', 'MEMBER_STATUS'],
        values: {
          subscribed: ['subscribed'],
          unsubscribed: ['unsubscribed', 'cleaned'],
          ignore: ['pending', 'transactional', 'archived'],
        },
        statusFromColumns: [
          { column: 'UNSUB_TIME', status: 'unsubscribed' },
          { column: 'CLEAN_TIME', status: 'unsubscribed' },
        ],
        constant: 'subscribed',
      },
    ],
    unknownColumns: 'ignore',
    detect: ['Email Address'],
  },
  // Twilio has no opt-out export: a list of opted-out numbers (Messaging Service opt-out management, or
  // STOP replies pulled from the message log). A status/OptOutType column (STOP, START) is honoured.
  'twilio-optouts': {
    name: 'twilio-optouts',
    phone: ['phone_number', 'PhoneNumber', 'From', 'phone'],
    timestamp: ['date_created', 'DateCreated', 'opted_out_at', 'timestamp'],
    channels: [
      {
        channel: 'sms',
        status: ['OptOutType', 'status'],
        values: { subscribed: ['start', 'unstop'], unsubscribed: ['stop'], ignore: ['help'] },
        constant: 'unsubscribed',
      },
    ],
    unknownColumns: 'ignore',
    detect: ['phone_number'],
  },
  // Attentive opt-out list: phone and/or email, the channel (TEXT = SMS, EMAIL), the time.
  'attentive-optouts': {
    name: 'attentive-optouts',
    phone: ['phone', 'phone_number'],
    email: ['email'],
    timestamp: ['unsubscribed_at', 'opt_out_date', 'timestamp', 'created_at'],
    channels: [
      {
        channel: 'sms',
        constant: 'unsubscribed',
        when: { column: ['subscription_channel', 'channel'], equals: ['text', 'sms', ''] },
      },
      {
        channel: 'email',
        constant: 'unsubscribed',
        when: { column: ['subscription_channel', 'channel'], equals: ['email'] },
      },
    ],
    unknownColumns: 'ignore',
    detect: ['phone', 'unsubscribed_at'],
  },
  // OneSignal subscriptions export: one row per subscription (device, email or SMS) of a user, keyed by
  // external_id; `type` as in the API (iOSPush, AndroidPush, Email, SMS, …), `enabled` true/false.
  'onesignal-subscriptions': {
    name: 'onesignal-subscriptions',
    externalId: ['external_id'],
    timestamp: ['last_active', 'updated_at', 'created_at'],
    channels: [
      {
        channel: 'push',
        status: ['enabled'],
        values: BOOL,
        when: { column: ['type'], equals: PUSH_TYPES },
      },
      { channel: 'email', status: ['enabled'], values: BOOL, when: { column: ['type'], equals: ['email'] } },
      { channel: 'sms', status: ['enabled'], values: BOOL, when: { column: ['type'], equals: ['sms'] } },
    ],
    ignore: ['id', 'token', 'onesignal_id', 'type', 'enabled'],
    unknownColumns: 'ignore',
    detect: ['external_id', 'type', 'enabled'],
  },
  // Braze user export: email_subscribe / push_subscribe as the API's values (opted_in, subscribed =
  // "neither", unsubscribed), SMS as a subscription-group state column `sms_subscribe`.
  'braze-export': {
    name: 'braze-export',
    externalId: ['external_id'],
    email: ['email'],
    phone: ['phone'],
    timestamp: ['updated_at', 'last_updated', 'time'],
    channels: [
      {
        channel: 'email',
        status: ['email_subscribe'],
        values: { subscribed: ['opted_in'], unsubscribed: ['unsubscribed'], ignore: ['subscribed'] },
        timestamp: ['email_subscribe_updated_at'],
      },
      {
        channel: 'push',
        status: ['push_subscribe'],
        values: { subscribed: ['opted_in'], unsubscribed: ['unsubscribed'], ignore: ['subscribed'] },
        timestamp: ['push_subscribe_updated_at'],
      },
      {
        channel: 'sms',
        status: ['sms_subscribe'],
        values: { subscribed: ['subscribed', 'opted_in'], unsubscribed: ['unsubscribed'] },
        timestamp: ['sms_subscribe_updated_at'],
      },
    ],
    unknownColumns: 'ignore',
    detect: ['external_id', 'email_subscribe'],
  },
};

export const FORMAT_NAMES = [...Object.keys(BUILT_IN_FORMATS), 'auto'] as const;

const columns = z.union([
  z
    .string()
    .min(1)
    .transform((c) => [c]),
  z.array(z.string().min(1)).min(1),
]);
const status = z.enum(['subscribed', 'unsubscribed']);
const mappingSchema = z
  .object({
    name: z.string().min(1).default('mapping-file'),
    externalId: columns.optional(),
    email: columns.optional(),
    phone: columns.optional(),
    timestamp: columns.optional(),
    channels: z
      .array(
        z
          .object({
            channel: z.enum(['email', 'sms', 'push']),
            status: columns.optional(),
            values: z
              .object({
                subscribed: z.array(z.string()),
                unsubscribed: z.array(z.string()),
                ignore: z.array(z.string()).optional(),
              })
              .strict()
              .optional(),
            statusFromColumns: z.array(z.object({ column: z.string().min(1), status }).strict()).optional(),
            constant: status.optional(),
            timestamp: columns.optional(),
            when: z
              .object({ column: columns, equals: z.array(z.string()) })
              .strict()
              .optional(),
          })
          .strict()
          .refine((r) => r.status === undefined || r.values !== undefined, '"status" needs "values"')
          .refine(
            (r) => r.status !== undefined || r.statusFromColumns !== undefined || r.constant !== undefined,
            'a channel needs "status", "statusFromColumns" or "constant"',
          ),
      )
      .min(1),
    ignore: z.array(z.string()).optional(),
    unknownColumns: z.enum(['reject', 'ignore']).default('reject'),
    defaultRegion: z.string().length(2).optional(),
  })
  .strict()
  .refine((m) => m.externalId || m.email || m.phone, 'name at least one of externalId, email, phone');

/** Reads and validates a mapping file; a mistake is a UsageError naming the field. */
export function loadMappingFile(path: string): Mapping {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`--mapping ${path}: ${(error as Error).message}`);
  }
  const parsed = mappingSchema.safeParse(json);
  if (!parsed.success)
    throw new UsageError(
      `--mapping ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  return parsed.data as Mapping;
}

/** `--format auto`: the first built-in format whose detect columns are all in the header. */
export function detectFormat(header: readonly string[]): Mapping | undefined {
  const names = new Set(header.map((h) => h.trim().toLowerCase()));
  return Object.values(BUILT_IN_FORMATS).find((m) =>
    (m.detect ?? []).every((c) => names.has(c.toLowerCase())),
  );
}
