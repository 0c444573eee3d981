import { randomBytes } from 'node:crypto';
import { ConfigError } from '@optstream/config';
import { loadResolverConfig } from './resolver-config';

const key = (): string => randomBytes(32).toString('base64');
const base = (): NodeJS.ProcessEnv => ({
  KAFKA_BROKERS: '127.0.0.1:9092',
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7',
  DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
  OPTSTREAM_HASH_KEY: key(),
});

describe('loadResolverConfig', () => {
  it('parses master keys whose base64 ends in "=" padding, and applies the defaults', () => {
    const [a, b] = [key(), key()];
    const config = loadResolverConfig({
      ...base(),
      OPTSTREAM_MASTER_KEYS: `old=${a}, new=${b}`,
      OPTSTREAM_ACTIVE_MASTER_KEY_ID: 'new',
    });
    expect(config.OPTSTREAM_MASTER_KEYS).toEqual({ old: a, new: b });
    expect([config.PORT, config.CONSUMER_GROUP]).toEqual([8082, 'identity-resolver']);
  });

  it('refuses an active key id that is not configured, naming the variable but not the secret', () => {
    const secret = key();
    const load = () =>
      loadResolverConfig({
        ...base(),
        OPTSTREAM_MASTER_KEYS: `k1=${secret}`,
        OPTSTREAM_ACTIVE_MASTER_KEY_ID: 'k2',
      });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/OPTSTREAM_ACTIVE_MASTER_KEY_ID: must name one of the keys/);
    expect(load).not.toThrow(new RegExp(secret.slice(0, 12).replace(/[+/]/g, '.')));
  });

  it('refuses a short hash key and a malformed master key list', () => {
    expect(() =>
      loadResolverConfig({
        ...base(),
        OPTSTREAM_HASH_KEY: randomBytes(16).toString('base64'),
        OPTSTREAM_MASTER_KEYS: 'no-separator',
        OPTSTREAM_ACTIVE_MASTER_KEY_ID: 'x',
      }),
    ).toThrow(
      /OPTSTREAM_HASH_KEY: must be at least 32 bytes[\s\S]*OPTSTREAM_MASTER_KEYS: each entry must be/,
    );
  });
});
