import { Writable } from 'node:stream';
import { createLogger } from '@optstream/observability';
import { testDatabaseUrl, uniqueName } from '@optstream/testing';
import { openDatabase } from '../src';

jest.setTimeout(60_000);

/**
 * A failed query's parameters are wrapped data keys, sealed values and externalIds: they must reach no
 * log line and never the console (TypeORM's own loggers print them there, past the masking logger).
 */
describe('query logging', () => {
  const secret = `wrapped-key-${uniqueName('secret')}`;
  const email = 'jane.failed-query@example.com';

  const capture = () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    return { lines, stream };
  };

  const consoleSpies = () =>
    (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      jest.spyOn(console, m).mockImplementation(() => undefined),
    );

  afterEach(() => jest.restoreAllMocks());

  it('routes a failed query through the service logger with its SQLSTATE and without its parameters', async () => {
    const { lines, stream } = capture();
    const spies = consoleSpies();
    const db = await openDatabase({
      url: testDatabaseUrl(),
      applicationName: 'query-logging-test',
      migrationsTableName: 'query_logging_test_migrations',
      migrations: [],
      log: createLogger('query-logging-test', 'info', stream),
    });
    try {
      await expect(db.query(`SELECT $1::text AS key, $2::int AS broken`, [secret, email])).rejects.toThrow();
    } finally {
      await db.destroy();
    }
    const failures = lines
      .map((l) => JSON.parse(l))
      .filter((l) => l.msg?.startsWith('database query failed'));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ level: 'error', sqlState: '22P02', service: 'query-logging-test' });
    expect(failures[0].query).toContain('SELECT $1::text');
    const everything = lines.join('') + spies.flatMap((s) => s.mock.calls.flat().map(String)).join('');
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(email);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });

  it('without a service logger, prints nothing to the console', async () => {
    const spies = consoleSpies();
    const db = await openDatabase({
      url: testDatabaseUrl(),
      applicationName: 'query-logging-test',
      migrationsTableName: 'query_logging_test_migrations',
      migrations: [],
    });
    try {
      await expect(db.query(`SELECT $1::int`, [secret])).rejects.toThrow();
    } finally {
      await db.destroy();
    }
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });
});
