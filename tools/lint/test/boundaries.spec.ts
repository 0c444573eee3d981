import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

jest.setTimeout(120_000);

const root = resolve(__dirname, '../../..');

/** Runs a project's lint target through Nx (which provides the project graph the boundary rule needs). */
function lintWithProbe(
  project: string,
  probePath: string,
  source: string,
): { status: number | null; output: string } {
  const file = resolve(root, probePath);
  writeFileSync(file, source);
  try {
    const run = spawnSync(
      resolve(root, 'node_modules/.bin/nx'),
      ['run', `${project}:lint`, '--skip-nx-cache'],
      {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, NX_DAEMON: 'false' },
      },
    );
    return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
  } finally {
    rmSync(file, { force: true });
  }
}

describe('module boundaries are enforced by lint', () => {
  it('a util library may not import a data-access library', () => {
    const result = lintWithProbe(
      'contracts',
      'libs/shared/contracts/src/boundary-probe.ts',
      "import { EventPublisher } from '@optstream/kafka';\nexport const probe = EventPublisher;\n",
    );
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('@nx/enforce-module-boundaries');
  });

  it('a domain library may not import a framework or read the clock', () => {
    const result = lintWithProbe(
      'identity-domain',
      'libs/identity/domain/src/boundary-probe.ts',
      "import { Injectable } from '@nestjs/common';\nexport const probe = [Injectable, Date.now()];\n",
    );
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('no-restricted-imports');
    expect(result.output).toContain('no-restricted-properties');
  });

  it('one scope may not import another scope’s library', () => {
    const result = lintWithProbe(
      'identity-domain',
      'libs/identity/domain/src/boundary-probe.ts',
      "import { parseFormBody } from '@optstream/ingestion-domain';\nexport const probe = parseFormBody;\n",
    );
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('@nx/enforce-module-boundaries');
  });
});
