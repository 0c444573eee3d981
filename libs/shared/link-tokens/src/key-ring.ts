/**
 * The keys that sign and verify link tokens. One key signs (the active one); every key
 * verifies, so a rotation adds the new key, makes it active, keeps the old one until the last link it signed
 * has expired, then drops it (docs/preference-center.md, "Key rotation").
 */
export interface LinkKey {
  /** Short public name carried in every token, so a verifier picks the right secret. */
  readonly id: string;
  readonly secret: Buffer;
}

export interface KeyRing {
  readonly signing: LinkKey;
  readonly verifying: ReadonlyMap<string, Buffer>;
}

export type KeyRingResult =
  | { readonly ok: true; readonly ring: KeyRing }
  | { readonly ok: false; readonly reason: string };

const KEY_ID = /^[A-Za-z0-9_-]{1,16}$/;
const MIN_SECRET_BYTES = 32;

/**
 * The ring from the settings: `LINK_TOKEN_KEYS` (`id=base64,id2=base64`, the repo's key-ring format)
 * and `LINK_TOKEN_ACTIVE_KEY_ID`, the one that signs.
 */
export function linkKeyRing(keys: Readonly<Record<string, string>>, activeId: string): KeyRingResult {
  const parsed: LinkKey[] = [];
  for (const [id, base64] of Object.entries(keys)) {
    if (!KEY_ID.test(id))
      return { ok: false, reason: `key id "${id.slice(0, 16)}" must be 1-16 of [A-Za-z0-9_-]` };
    const secret = Buffer.from(base64, 'base64');
    if (secret.length < MIN_SECRET_BYTES)
      return { ok: false, reason: `key "${id}" must be at least ${MIN_SECRET_BYTES} bytes, base64-encoded` };
    parsed.push({ id, secret });
  }
  const active = parsed.find((k) => k.id === activeId);
  if (!active) return { ok: false, reason: `the active key "${activeId}" is not one of the keys` };
  return { ok: true, ring: keyRing([active, ...parsed.filter((k) => k !== active)]) };
}

/** A ring from keys in order; the first signs. */
export function keyRing(keys: readonly LinkKey[]): KeyRing {
  const [signing] = keys;
  if (!signing) throw new Error('a key ring needs at least one key');
  return { signing, verifying: new Map(keys.map((k) => [k.id, k.secret])) };
}

/** The ring from the two settings, or why there is none (unset, or inconsistent). */
export function keyRingFromSettings(settings: {
  readonly LINK_TOKEN_KEYS?: Readonly<Record<string, string>> | undefined;
  readonly LINK_TOKEN_ACTIVE_KEY_ID?: string | undefined;
}): KeyRingResult {
  if (!settings.LINK_TOKEN_KEYS)
    return { ok: false, reason: 'links are not configured: set LINK_TOKEN_KEYS' };
  const active = settings.LINK_TOKEN_ACTIVE_KEY_ID ?? Object.keys(settings.LINK_TOKEN_KEYS)[0] ?? '';
  return linkKeyRing(settings.LINK_TOKEN_KEYS, active);
}
