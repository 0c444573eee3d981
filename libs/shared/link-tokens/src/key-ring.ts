/**
 * The keys that sign and verify link tokens. One key signs (the first one configured); every key
 * verifies, so a rotation adds the new key in front, keeps the old one until the last link it signed
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

/** Parses `id:base64secret,id2:base64secret2` (the `LINK_TOKEN_KEYS` setting). The first key signs. */
export function parseKeyRing(setting: string): KeyRingResult {
  const entries = setting
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0)
    return { ok: false, reason: 'no key: expected <id>:<base64 secret>[,<id>:<base64 secret>…]' };
  const keys: LinkKey[] = [];
  for (const [index, entry] of entries.entries()) {
    const separator = entry.indexOf(':');
    const id = separator > 0 ? entry.slice(0, separator) : '';
    if (!KEY_ID.test(id))
      return { ok: false, reason: `key ${index + 1}: the id must be 1-16 of [A-Za-z0-9_-] before a ":"` };
    const secret = Buffer.from(entry.slice(separator + 1), 'base64');
    if (secret.length < MIN_SECRET_BYTES)
      return {
        ok: false,
        reason: `key "${id}": the secret must be at least ${MIN_SECRET_BYTES} bytes, base64-encoded`,
      };
    if (keys.some((k) => k.id === id)) return { ok: false, reason: `key "${id}" is given twice` };
    keys.push({ id, secret });
  }
  return { ok: true, ring: keyRing(keys) };
}

/** A ring from keys in order; the first signs. */
export function keyRing(keys: readonly LinkKey[]): KeyRing {
  const [signing] = keys;
  if (!signing) throw new Error('a key ring needs at least one key');
  return { signing, verifying: new Map(keys.map((k) => [k.id, k.secret])) };
}
