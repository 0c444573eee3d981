import { MigrationInterface, QueryRunner } from 'typeorm';
import { testDatabaseUrl, uniqueName } from '@optstream/testing';
import { openDatabase } from '../src';

jest.setTimeout(60_000);

describe('openDatabase against the real PostgreSQL', () => {
  it('applies pending migrations once and records them in the service’s own table', async () => {
    const schema = uniqueName('probe').replace(/-/g, '_');
    class CreateProbe1700000000000 implements MigrationInterface {
      name = 'CreateProbe1700000000000';
      async up(q: QueryRunner): Promise<void> {
        await q.query(`create schema ${schema}`);
        await q.query(`create table ${schema}.probe (id int primary key)`);
      }
      async down(q: QueryRunner): Promise<void> {
        await q.query(`drop schema ${schema} cascade`);
      }
    }
    const options = {
      url: testDatabaseUrl(),
      applicationName: 'test',
      migrationsTableName: `${schema}_migrations`,
      migrations: [CreateProbe1700000000000],
    };
    const first = await openDatabase(options);
    await first.query(`insert into ${schema}.probe values (1)`);
    await first.destroy();
    // A second start finds nothing to apply and keeps the data.
    const second = await openDatabase(options);
    expect(await second.query(`select id from ${schema}.probe`)).toEqual([{ id: 1 }]);
    expect(await second.query(`select name from ${schema}_migrations`)).toEqual([
      { name: 'CreateProbe1700000000000' },
    ]);
    await second.query(`drop schema ${schema} cascade; drop table ${schema}_migrations`);
    await second.destroy();
  });
});
