import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/**
 * Development credentials for `npm start`, generated once per checkout into .stack/run/dev-secrets.env
 * (git-ignored) — never committed, never used outside the local system.
 */
export function devSecrets(runDir: string): Record<string, string> {
  const file = join(runDir, 'dev-secrets.env');
  if (!existsSync(file)) {
    mkdirSync(runDir, { recursive: true });
    const secrets = {
      OPTSTREAM_HASH_KEY: randomBytes(32).toString('base64'),
      OPTSTREAM_MASTER_KEYS: `dev1=${randomBytes(32).toString('base64')}`,
      OPTSTREAM_ACTIVE_MASTER_KEY_ID: 'dev1',
      SEGMENT_WRITE_KEYS: `wk_dev_${randomBytes(6).toString('hex')}=local-demo`,
      API_SIGNING_SECRETS: randomBytes(32).toString('hex'),
      MAILCHIMP_WEBHOOK_SECRET: randomBytes(16).toString('hex'),
      READ_API_KEYS: `rk_dev_${randomBytes(12).toString('hex')}:admin`,
    };
    writeFileSync(
      file,
      Object.entries(secrets)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n') + '\n',
      { mode: 0o600 },
    );
  }
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}
