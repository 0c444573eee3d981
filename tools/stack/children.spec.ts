import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childFailure, firstClosedDirectory } from './children';
import { StackError } from './errors';
import { requirePostgresCanReach } from './postgres';
import { startDetached } from './processes';
import { loadStackSettings } from './settings';

/** Somebody else: neither the owner of the test's folders nor in their group. */
const stranger = { uid: (process.getuid?.() ?? 0) + 4242, gid: (process.getgid?.() ?? 0) + 4242 };

describe('children that cannot start say why', () => {
  it('a spawnSync that never started names its error, not "exit null"', () => {
    const result = spawnSync('/nonexistent/bin/initdb', [], { encoding: 'utf8' });
    expect(result.status).toBeNull();
    expect(childFailure('initdb', result)).toBe(
      'could not start initdb: spawnSync /nonexistent/bin/initdb ENOENT',
    );
  });

  it('an exit status and a signal are told apart; success is no failure', () => {
    expect(childFailure('sh', spawnSync('sh', ['-c', 'exit 3'], { encoding: 'utf8' }))).toBe(
      'sh exited with 3',
    );
    expect(childFailure('sh', spawnSync('sh', ['-c', 'kill -KILL $$'], { encoding: 'utf8' }))).toBe(
      'sh was killed by SIGKILL',
    );
    expect(childFailure('true', spawnSync('true', [], { encoding: 'utf8' }))).toBeUndefined();
  });

  it('a detached service that cannot start is a StackError with the spawn error', async () => {
    const root = mkdtempSync(join(tmpdir(), 'optstream-children-'));
    try {
      const s = loadStackSettings({ OPTSTREAM_STACK_DIR: root });
      const started = startDetached(s, {
        name: 'ghost',
        command: '/nonexistent/ghost',
        args: [],
        marker: root,
      });
      await expect(started).rejects.toThrow(
        new StackError('ghost', 'could not start /nonexistent/ghost: spawn /nonexistent/ghost ENOENT'),
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('a clone in a private folder (0700), as root', () => {
  const root = mkdtempSync(join(tmpdir(), 'optstream-private-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds the first folder another user cannot enter', () => {
    mkdirSync(join(root, 'a', 'b'), { recursive: true });
    chmodSync(root, 0o700);
    expect(firstClosedDirectory(join(root, 'a', 'b', 'initdb'), stranger)).toBe(root);
    expect(firstClosedDirectory(join(root, 'a', 'b'), { uid: 0, gid: 0 })).toBeUndefined();
    chmodSync(root, 0o711);
    expect(firstClosedDirectory(join(root, 'a', 'b', 'initdb'), stranger)).toBeUndefined();
  });

  it('refuses to start PostgreSQL with the cause and the fix, before initdb runs', () => {
    chmodSync(root, 0o700);
    const s = loadStackSettings({ OPTSTREAM_STACK_DIR: join(root, '.stack') });
    const check = () => requirePostgresCanReach(s, stranger);
    expect(check).toThrow(StackError);
    expect(check).toThrow(`cannot enter ${root} on the way to its data directory`);
    expect(check).toThrow(`\`chmod o+x ${root}\``);
    expect(check).toThrow('OPTSTREAM_EXTERNAL_DATABASE_URL');
    chmodSync(root, 0o711);
    expect(check).not.toThrow();
  });
});
