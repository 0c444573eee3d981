import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { SystemSecrets } from './system-env';

/**
 * Fresh secrets for a local system: keys, write keys, webhook secrets, and a SendGrid signing key pair
 * (the simulator signs with the private half; the gateway verifies with the public half, as with SendGrid).
 */
export function generateSystemSecrets(): SystemSecrets {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    OPTSTREAM_HASH_KEY: randomBytes(32).toString('base64'),
    OPTSTREAM_MASTER_KEYS: `dev1=${randomBytes(32).toString('base64')}`,
    OPTSTREAM_ACTIVE_MASTER_KEY_ID: 'dev1',
    SEGMENT_WRITE_KEYS: `wk_dev_${randomBytes(6).toString('hex')}=local-demo`,
    API_SIGNING_SECRETS: randomBytes(32).toString('hex'),
    MAILCHIMP_WEBHOOK_SECRET: randomBytes(16).toString('hex'),
    READ_API_KEYS: `rk_dev_${randomBytes(12).toString('hex')}:admin`,
    TWILIO_AUTH_TOKEN: randomBytes(16).toString('hex'),
    SENDGRID_WEBHOOK_PUBLIC_KEY: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    SENDGRID_SIGNING_PRIVATE_KEY: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    LINK_TOKEN_KEYS: `dev1=${randomBytes(32).toString('base64')}`,
    LINK_TOKEN_ACTIVE_KEY_ID: 'dev1',
  };
}
