import { v5 as uuidv5 } from 'uuid';

/**
 * Derives an output id from the id of what caused it and a suffix that is stable for that output.
 * The resolver publishes before it commits its input offset, so a crash replays the same inbound
 * fact: deriving every output id (and every provisional contact id) from the inbound eventId makes
 * the replay produce byte-identical events, which consumers then collapse by eventId.
 */
export type DeriveId = (causeId: string, suffix: string) => string;

/**
 * Fixed namespace for ids the identity resolver derives (UUID v5 of
 * "https://optstream.io/ns/identity-resolver" in the URL namespace). Changing it changes every
 * derived id — including provisional contact ids — and breaks dedup against the log: never change it.
 */
export const IDENTITY_ID_NAMESPACE = 'fa9413a7-c004-5455-bd6f-070d8db008a9';

/** UUID v5 of "<causeId>:<suffix>" in `namespace`. */
export const uuidV5Ids =
  (namespace: string = IDENTITY_ID_NAMESPACE): DeriveId =>
  (causeId, suffix) =>
    uuidv5(`${causeId}:${suffix}`, namespace);

/** Suffixes in one place: two outputs of one fact must never share one. */
export const ID_SUFFIX = {
  /**
   * The id of the contact an opt-out from an unknown address creates. Derived, not random: the
   * replay of that fact must create the SAME contact, or a crash between publish and commit would
   * leave two provisional contacts for one address (the second linking would fail its unique check).
   */
  provisionalContact: 'provisional',
  preference: 'preference',
  identity: (kind: string, discriminator: string): string => `identity:${kind}:${discriminator}`,
  // A topic's re-emit gets an id of its own; the channel-wide one keeps the id it always had.
  reemit: (channel: string, topic: string | null = null): string =>
    topic === null ? `reemit:${channel}` : `reemit:${channel}:topic:${topic}`,
} as const;
