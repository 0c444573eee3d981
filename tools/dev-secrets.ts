import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSystemSecrets, type SystemSecrets } from '@optstream/local-system';

/**
 * Development credentials for `npm start`, generated once per checkout into .stack/run/dev-secrets.env
 * (git-ignored) — never committed, never used outside the local system. A file from an older checkout
 * gains the secrets added since; the ones it has are kept (data sealed with them stays readable).
 */
export function devSecrets(runDir: string): SystemSecrets {
  const file = join(runDir, 'dev-secrets.env');
  const stored = existsSync(file) ? parse(readFileSync(file, 'utf8')) : {};
  const secrets = { ...generateSystemSecrets(), ...stored } as SystemSecrets;
  if (Object.keys(stored).length !== Object.keys(secrets).length) {
    mkdirSync(runDir, { recursive: true });
    // PEM keys span lines: stored base64-wrapped so the file stays one line per setting.
    const lines = Object.entries(secrets).map(
      ([k, v]) => `${k}=${v.includes('\n') ? `base64:${Buffer.from(v).toString('base64')}` : v}`,
    );
    writeFileSync(file, lines.join('\n') + '\n', { mode: 0o600 });
  }
  return secrets;
}

function parse(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => {
        const value = line.slice(line.indexOf('=') + 1);
        return [
          line.slice(0, line.indexOf('=')),
          value.startsWith('base64:') ? Buffer.from(value.slice(7), 'base64').toString() : value,
        ];
      }),
  );
}
