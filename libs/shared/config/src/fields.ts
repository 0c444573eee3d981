import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** Reusable field parsers for environment variables (which are always strings). */
export const env = {
  // 0 asks the OS for a free port (tests, side-by-side benchmarks).
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  positiveInt: (fallback: number) => z.coerce.number().int().positive().default(fallback),
  boolean: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'])
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  /** A comma-separated list, trimmed, empty items dropped. */
  list: () =>
    z
      .string()
      .min(1)
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s.length > 0),
      ),
  url: () => z.string().url(),
  /**
   * `id=base64,id2=base64`: a key ring (e.g. every master key that may have wrapped a stored data key).
   * Split on the FIRST '=' only, since base64 ends in '=' padding; key bytes are checked by their user.
   */
  keyRing: () =>
    z.string().transform((raw, ctx) => {
      const keys: Record<string, string> = {};
      for (const entry of raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)) {
        const at = entry.indexOf('=');
        if (at <= 0 || at === entry.length - 1) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'each entry must be <keyId>=<base64 key>' });
          return z.NEVER;
        }
        keys[entry.slice(0, at)] = entry.slice(at + 1);
      }
      if (Object.keys(keys).length === 0) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'at least one key is required' });
        return z.NEVER;
      }
      return keys;
    }),
};

/**
 * Secrets may come from the variable itself or from a file named by `<NAME>_FILE` (Kubernetes secret
 * volumes); the file wins so that secrets never have to sit in the environment.
 */
export function withSecretFiles(source: NodeJS.ProcessEnv, names: readonly string[]): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...source };
  for (const name of names) {
    const file = source[`${name}_FILE`];
    if (file) out[name] = readFileSync(file, 'utf8').trim();
  }
  return out;
}
