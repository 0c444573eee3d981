import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localStackEnv } from './local-stack-env';

describe('localStackEnv', () => {
  const stack = mkdtempSync(join(tmpdir(), 'optstream-local-env-'));
  mkdirSync(join(stack, 'run'));
  writeFileSync(
    join(stack, 'run', 'endpoints.env'),
    'KAFKA_BROKERS=127.0.0.1:9092\nSCHEMA_REGISTRY_URL=http://127.0.0.1:8081/apis/ccompat/v7\nDATABASE_URL=postgres://optstream:s3cret@127.0.0.1:54329/optstream\n',
  );
  writeFileSync(
    join(stack, 'run', 'dev-secrets.env'),
    `OPTSTREAM_HASH_KEY=aGFzaA==\nSENDGRID_SIGNING_PRIVATE_KEY=base64:${Buffer.from('-----BEGIN\nKEY\n').toString('base64')}\n`,
  );
  afterAll(() => rmSync(stack, { recursive: true, force: true }));

  it('with nothing set: the stack endpoints and the development secrets, the password masked in the notice', () => {
    const { added, notice } = localStackEnv({ OPTSTREAM_HASH_KEY: 'mine' }, stack);
    expect(added).toEqual({
      KAFKA_BROKERS: '127.0.0.1:9092',
      SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7',
      DATABASE_URL: 'postgres://optstream:s3cret@127.0.0.1:54329/optstream',
      SENDGRID_SIGNING_PRIVATE_KEY: '-----BEGIN\nKEY\n',
    });
    expect(notice).toContain('database postgres://optstream:***@127.0.0.1:54329/optstream');
    expect(notice).not.toContain('s3cret');
  });

  it('a configured deployment is used as it is; no local stack, nothing added', () => {
    expect(localStackEnv({ KAFKA_BROKERS: 'kafka:9092' }, stack)).toEqual({ added: {}, notice: undefined });
    expect(localStackEnv({}, join(stack, 'nowhere'))).toEqual({ added: {}, notice: undefined });
  });
});
