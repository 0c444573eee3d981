// Generated from schemas/*.avsc by tools/codegen/avro-to-ts.ts — do not edit.

/** The name of schemas/identity.v1.avsc, as used in `TOPICS[...].valueSchema`. */
export const IdentityEventSchemaName = 'identity.v1';

/**
 * Identity graph events, keyed by externalId. Identifier values are encrypted with the contact's data key and carry a keyed hash for matching; destroying the key forgets them.
 * Avro record `io.optstream.identity.v1.IdentityEvent`.
 */
export interface IdentityEvent {
  readonly eventId: string;
  /** The contact this event is about (the survivor for a merge). */
  readonly externalId: string;
  readonly kind: IdentityEventKind;
  /** True for a contact created from an unknown address. */
  readonly provisional: boolean;
  readonly identifier: ProtectedIdentifier | null;
  /** reassigned: the contact the identifier moved from; merged: the contact merged into this one. */
  readonly otherExternalId: string | null;
  /** Epoch milliseconds (Avro timestamp-millis, decoded as a number). */
  readonly occurredAt: number;
  /** Epoch milliseconds (Avro timestamp-millis, decoded as a number). */
  readonly recordedAt: number;
  readonly causationId: string;
}

/**
 * Avro enum `io.optstream.identity.v1.IdentityEventKind`.
 * Readers map unknown symbols to 'unknown'.
 */
export type IdentityEventKind =
  | 'unknown'
  | 'contact_registered'
  | 'identifier_linked'
  | 'identifier_reassigned'
  | 'contacts_merged'
  | 'contact_erased';

export const IDENTITY_EVENT_KIND_SYMBOLS = [
  'unknown',
  'contact_registered',
  'identifier_linked',
  'identifier_reassigned',
  'contacts_merged',
  'contact_erased',
] as const satisfies readonly IdentityEventKind[];

/** Avro record `io.optstream.identity.v1.ProtectedIdentifier`. */
export interface ProtectedIdentifier {
  readonly kind: IdentifierKind;
  /** HMAC-SHA256 of the normalized value under the matching key, base64url. */
  readonly keyedHash: string;
  /** AES-256-GCM ciphertext of the value under the contact's data key. */
  readonly sealedValue: Buffer;
  /** Which data key sealed it. */
  readonly dataKeyId: string;
}

/**
 * Avro enum `io.optstream.identity.v1.IdentifierKind`.
 * Readers map unknown symbols to 'unknown'.
 */
export type IdentifierKind = 'unknown' | 'email' | 'phone' | 'anonymous_id';

export const IDENTIFIER_KIND_SYMBOLS = [
  'unknown',
  'email',
  'phone',
  'anonymous_id',
] as const satisfies readonly IdentifierKind[];

/** schemas/identity.v1.avsc verbatim, so runtime code (registry, codecs) never reads files. */
export const IdentityEventSchema = {
  type: 'record',
  name: 'IdentityEvent',
  namespace: 'io.optstream.identity.v1',
  doc: "Identity graph events, keyed by externalId. Identifier values are encrypted with the contact's data key and carry a keyed hash for matching; destroying the key forgets them.",
  fields: [
    { name: 'eventId', type: 'string' },
    {
      name: 'externalId',
      type: 'string',
      doc: 'The contact this event is about (the survivor for a merge).',
    },
    {
      name: 'kind',
      type: {
        type: 'enum',
        name: 'IdentityEventKind',
        symbols: [
          'unknown',
          'contact_registered',
          'identifier_linked',
          'identifier_reassigned',
          'contacts_merged',
          'contact_erased',
        ],
        default: 'unknown',
      },
    },
    {
      name: 'provisional',
      type: 'boolean',
      default: false,
      doc: 'True for a contact created from an unknown address.',
    },
    {
      name: 'identifier',
      type: [
        'null',
        {
          type: 'record',
          name: 'ProtectedIdentifier',
          fields: [
            {
              name: 'kind',
              type: {
                type: 'enum',
                name: 'IdentifierKind',
                symbols: ['unknown', 'email', 'phone', 'anonymous_id'],
                default: 'unknown',
              },
            },
            {
              name: 'keyedHash',
              type: 'string',
              doc: 'HMAC-SHA256 of the normalized value under the matching key, base64url.',
            },
            {
              name: 'sealedValue',
              type: 'bytes',
              doc: "AES-256-GCM ciphertext of the value under the contact's data key.",
            },
            { name: 'dataKeyId', type: 'string', doc: 'Which data key sealed it.' },
          ],
        },
      ],
      default: null,
    },
    {
      name: 'otherExternalId',
      type: ['null', 'string'],
      default: null,
      doc: 'reassigned: the contact the identifier moved from; merged: the contact merged into this one.',
    },
    { name: 'occurredAt', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'recordedAt', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'causationId', type: 'string' },
  ],
} as const;
