import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError, env, kafkaConfigSchema, loadConfig, withSecretFiles } from './index';

describe('loadConfig', () => {
  it('parses a valid environment into typed values', () => {
    const config = loadConfig('svc', kafkaConfigSchema, {
      KAFKA_BROKERS: 'a:9092, b:9092',
      SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7',
      KAFKA_SSL: 'true',
    });
    expect(config.KAFKA_BROKERS).toEqual(['a:9092', 'b:9092']);
    expect(config.KAFKA_SSL).toBe(true);
  });

  it('names every bad or missing variable at once', () => {
    const schema = z.object({
      PORT: env.port(8080),
      KAFKA_BROKERS: env.list(),
      SCHEMA_REGISTRY_URL: env.url(),
    });
    let thrown: unknown;
    try {
      loadConfig('svc', schema, { PORT: 'eighty', SCHEMA_REGISTRY_URL: 'not a url' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const problems = (thrown as ConfigError).problems.join('\n');
    expect(problems).toContain('PORT');
    expect(problems).toContain('got "eighty"');
    expect(problems).toContain('KAFKA_BROKERS');
    expect(problems).toContain('it is not set');
    expect(problems).toContain('SCHEMA_REGISTRY_URL');
  });

  it('never echoes a secret value in the error', () => {
    const schema = z.object({ API_SECRET: z.string().min(32) });
    expect(() => loadConfig('svc', schema, { API_SECRET: 'short-secret' })).toThrow(/API_SECRET.*\*\*\*/);
    expect(() => loadConfig('svc', schema, { API_SECRET: 'short-secret' })).not.toThrow(/short-secret/);
  });

  it('applies defaults', () => {
    expect(loadConfig('svc', z.object({ PORT: env.port(8080) }), {}).PORT).toBe(8080);
  });

  it('reads secrets from <NAME>_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'optstream-config-'));
    const file = join(dir, 'password');
    writeFileSync(file, 's3cret\n');
    expect(
      withSecretFiles({ KAFKA_SASL_PASSWORD_FILE: file }, ['KAFKA_SASL_PASSWORD'])['KAFKA_SASL_PASSWORD'],
    ).toBe('s3cret');
  });
});
