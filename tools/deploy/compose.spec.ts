import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_SIMULATOR_CREDENTIALS } from '@optstream/provider-simulators';
import { parse } from 'yaml';

/**
 * docker-compose.yml and the Dockerfile, checked without Docker (none runs in CI): the structure Compose
 * relies on — health checks, dependency order, build targets that exist — and the promises they make
 * (Confluent images, read-only containers, no secret in the file).
 */
const root = resolve(__dirname, '../..');

interface ComposeService {
  image?: string;
  build?: { context: string; target: string };
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string | number>;
  read_only?: boolean;
  tmpfs?: string[];
  restart?: string;
}

const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};
const services = compose.services;
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const dockerTargets = [...dockerfile.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1]);

const APPS = [
  'ingestion-gateway',
  'identity-resolver',
  'preference-projector',
  'connector-email',
  'connector-sms',
  'connector-push',
  'provider-simulators',
];
/** One-shot containers: no health check; others wait for them to complete successfully. */
const ONE_SHOT = ['dev-secrets'];
const SECRET_ENV =
  /^(OPTSTREAM_HASH_KEY|OPTSTREAM_MASTER_KEYS|READ_API_KEYS|SEGMENT_WRITE_KEYS|API_SIGNING_SECRETS|.*_(PASSWORD|TOKEN|SECRET|API_KEY|SECRETS))$/;

describe('docker-compose.yml', () => {
  it('runs the infrastructure on Confluent images, PostgreSQL, every service and the simulators', () => {
    expect(services['kafka']?.image).toMatch(/^confluentinc\/cp-kafka:/);
    expect(services['schema-registry']?.image).toMatch(/^confluentinc\/cp-schema-registry:/);
    expect(services['postgres']?.image).toMatch(/^postgres:/);
    for (const app of APPS) expect(services[app]?.build).toEqual({ context: '.', target: app });
  });

  it('uses no ${…} Compose would try to interpolate (a literal $ is written $$)', () => {
    const text = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
    const interpolations = [...text.matchAll(/(?<!\$)\$\{([^}]*)\}/g)].map((m) => m[1]);
    expect(interpolations.filter((v) => !/^[A-Z_][A-Z0-9_]*(:?[-?+][^}]*)?$/.test(v!))).toEqual([]);
  });

  it('every long-running service has a health check; one-shots are awaited to completion', () => {
    for (const [name, service] of Object.entries(services)) {
      if (ONE_SHOT.includes(name)) {
        expect({ name, restart: service.restart }).toEqual({ name, restart: 'no' });
        continue;
      }
      expect({ name, healthcheck: (service.healthcheck?.test?.length ?? 0) > 1 }).toEqual({
        name,
        healthcheck: true,
      });
    }
  });

  it('every depends_on target exists, with a condition that fits it, and there is no cycle', () => {
    for (const [name, service] of Object.entries(services))
      for (const [target, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect({ name, target, exists: target in services }).toEqual({ name, target, exists: true });
        const expected = ONE_SHOT.includes(target) ? 'service_completed_successfully' : 'service_healthy';
        expect({ name, target, condition }).toEqual({ name, target, condition: expected });
      }
    const visiting = new Set<string>();
    const done = new Set<string>();
    const visit = (name: string, path: string[]): void => {
      if (done.has(name)) return;
      if (visiting.has(name)) throw new Error(`dependency cycle: ${[...path, name].join(' -> ')}`);
      visiting.add(name);
      for (const target of Object.keys(services[name]?.depends_on ?? {})) visit(target, [...path, name]);
      visiting.delete(name);
      done.add(name);
    };
    for (const name of Object.keys(services)) visit(name, []);
  });

  it('services wait for what they use: Kafka + registry, PostgreSQL, the simulators', () => {
    const deps = (name: string) => Object.keys(services[name]?.depends_on ?? {});
    expect(deps('ingestion-gateway')).toEqual(
      expect.arrayContaining(['kafka', 'schema-registry', 'dev-secrets']),
    );
    expect(deps('identity-resolver')).toEqual(
      expect.arrayContaining(['kafka', 'schema-registry', 'postgres']),
    );
    expect(deps('preference-projector')).toEqual(expect.arrayContaining(['postgres', 'identity-resolver']));
    for (const c of ['connector-email', 'connector-sms', 'connector-push'])
      expect(deps(c)).toEqual(
        expect.arrayContaining(['postgres', 'preference-projector', 'provider-simulators']),
      );
  });

  it('service containers run read-only with a /tmp tmpfs, volumes are declared, no secret is inline', () => {
    const simulatorCredentials = new Set<string>(Object.values(DEFAULT_SIMULATOR_CREDENTIALS));
    for (const app of APPS) {
      const service = services[app]!;
      expect({ app, read_only: service.read_only, tmpfs: service.tmpfs }).toEqual({
        app,
        read_only: true,
        tmpfs: ['/tmp'],
      });
      for (const [name, value] of Object.entries(service.environment ?? {}))
        if (SECRET_ENV.test(name))
          // Only the simulators' public test credentials may appear; real secrets come from files.
          expect({ app, name, allowed: simulatorCredentials.has(String(value)) }).toEqual({
            app,
            name,
            allowed: true,
          });
    }
    expect(Object.keys(compose.volumes)).toEqual(
      expect.arrayContaining(['kafka-data', 'postgres-data', 'gateway-spool', 'dev-secrets']),
    );
  });
});

describe('Dockerfile', () => {
  it('has a target per app and the CLI', () => {
    expect(dockerTargets).toEqual(expect.arrayContaining([...APPS, 'cli']));
  });

  it('runs Node 24 as a numeric non-root user under tini, with a health check', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-bookworm-slim$/m);
    expect(dockerfile).toMatch(/^USER 1000:1000$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--", "node"\]$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*CMD \["node", "\/app\/healthcheck.js"\]$/m);
    expect(dockerfile).toMatch(/^RUN tools\/image\/build\.sh \/out$/m);
    for (const app of APPS)
      expect(dockerfile).toMatch(new RegExp(`^CMD \\["dist/apps/${app}/src/main.js"\\]$`, 'm'));
  });
});
