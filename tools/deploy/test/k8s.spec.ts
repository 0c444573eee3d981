import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ALL_TOPICS, TOPICS } from '@optstream/contracts';
import { parseAllDocuments } from 'yaml';
import { resourceName } from '../kafka-topics';

/**
 * deploy/k8s, offline: every overlay rendered by kubectl's built-in kustomize — the old one of Debian
 * bookworm's kubernetes-client (kustomize v2.0.3, the features we limit ourselves to) and trixie's kubectl
 * (kustomize v5) — every rendered object validated against the Kubernetes / Prometheus Operator schemas
 * (tools/deploy/validate-manifests.mts), and the rules this deployment promises checked on the output.
 * kubectl comes from tools/deploy/fetch-kubectl.sh (downloaded once into .stack/cache, verified).
 */
const root = resolve(__dirname, '../../..');
const run = promisify(execFile);
const OVERLAYS = ['dev', 'prod'] as const;
type Overlay = (typeof OVERLAYS)[number];
const SUITES = ['bookworm', 'trixie'] as const;

interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
  }[];
  envFrom?: { configMapRef?: { name: string } }[];
  readinessProbe?: object;
  livenessProbe?: object;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
  volumeMounts?: { mountPath: string }[];
}
interface PodSpec {
  containers: Container[];
  securityContext?: { runAsNonRoot?: boolean };
  topologySpreadConstraints?: object[];
}
interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rendered YAML, shape checked below
  spec?: any;
  data?: Record<string, string>;
}

const WORKLOADS = [
  'ingestion-gateway',
  'identity-resolver',
  'preference-projector',
  'connector-email',
  'connector-sms',
  'connector-push',
];
const AUTOSCALED = ['ingestion-gateway', 'connector-email', 'connector-sms', 'connector-push'];
/** Env vars that hold secrets: they may only come from secretKeyRef, never a literal value. */
const SECRET_ENV =
  /^(DATABASE_URL|OPTSTREAM_HASH_KEY|OPTSTREAM_MASTER_KEYS|READ_API_KEYS|LINK_TOKEN_KEYS|SEGMENT_WRITE_KEYS|API_SIGNING_SECRETS|.*_(PASSWORD|TOKEN|SECRET|API_KEY|SECRETS))$/;

const kubectl: Record<string, string> = {};
const rendered: Record<string, Record<Overlay, string>> = {};

async function render(suite: string, overlay: Overlay): Promise<string> {
  const { stdout } = await run(kubectl[suite]!, ['kustomize', join(root, 'deploy/k8s/overlays', overlay)], {
    maxBuffer: 32 * 1024 * 1024,
  });
  return stdout;
}

const parse = (text: string): K8sObject[] =>
  parseAllDocuments(text)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);

const objects = (overlay: Overlay): K8sObject[] => parse(rendered['bookworm']![overlay]);
const find = (overlay: Overlay, kind: string, name: string): K8sObject | undefined =>
  objects(overlay).find((o) => o.kind === kind && o.metadata.name === name);
const podSpec = (o: K8sObject): PodSpec =>
  o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec.template.spec;

beforeAll(async () => {
  for (const suite of SUITES) {
    const { stdout } = await run('bash', [join(root, 'tools/deploy/fetch-kubectl.sh'), suite], {
      cwd: root,
      timeout: 240_000,
    }).catch((error: { stderr?: string }) => {
      throw new Error(`could not fetch kubectl (${suite}): ${error.stderr ?? error}`);
    });
    kubectl[suite] = stdout.trim();
    rendered[suite] = { dev: await render(suite, 'dev'), prod: await render(suite, 'prod') };
  }
}, 300_000);

describe('deploy/k8s', () => {
  it('uses kubectl 1.20 (kustomize v2.0.3) and 1.32 (kustomize v5)', async () => {
    const versions = await Promise.all(
      SUITES.map(async (suite) => (await run(kubectl[suite]!, ['version', '--client'])).stdout),
    );
    expect(versions[0]).toContain('v1.20.');
    expect(versions[1]).toContain('v1.32.');
  });

  it.each(OVERLAYS)('%s: both kustomize versions render the same objects', (overlay) => {
    // They differ only in the ConfigMap name hash and in printing empty annotations.
    const names = objects(overlay)
      .filter((o) => o.kind === 'ConfigMap')
      .map((o) => o.metadata.name.replace(/-[a-z0-9]{10}$/, ''));
    const normalize = (list: K8sObject[]) =>
      list
        .map((o) => {
          let text = JSON.stringify(o);
          for (const name of names)
            text = text.replace(new RegExp(`"${name}-[a-z0-9]{10}"`, 'g'), `"${name}"`);
          return JSON.parse(text, (k, v: unknown) =>
            k === 'annotations' && v !== null && typeof v === 'object' && Object.keys(v).length === 0
              ? undefined
              : v,
          ) as K8sObject;
        })
        .sort((a, b) => key(a).localeCompare(key(b)));
    const key = (o: K8sObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    expect(normalize(parse(rendered['trixie']![overlay]))).toEqual(normalize(objects(overlay)));
  });

  it.each(OVERLAYS)(
    '%s: every object is valid against the Kubernetes and Prometheus Operator schemas',
    async (overlay) => {
      const file = join(tmpdir(), `optstream-k8s-${overlay}-${process.pid}.yaml`);
      writeFileSync(file, rendered['bookworm']![overlay]);
      const out = await run(
        join(root, 'node_modules/.bin/tsx'),
        [join(root, 'tools/deploy/validate-manifests.mts'), file],
        { cwd: root, timeout: 60_000 },
      )
        .then((r) => r.stdout)
        .catch((error: { stdout?: string; stderr?: string }) => error.stdout || `${error.stderr}`)
        .finally(() => rmSync(file, { force: true }));
      const report = JSON.parse(out) as { validated: number; errors: string[] };
      expect(report.errors).toEqual([]);
      expect(report.validated).toBe(objects(overlay).length);
    },
    90_000,
  );

  it('the committed KafkaTopics and the dev replica patch are generated from topics.ts', async () => {
    // A child process: Prettier (which formats the generated files) cannot load inside Jest's VM.
    const check = await run(
      join(root, 'node_modules/.bin/tsx'),
      ['--tsconfig', 'tsconfig.base.json', 'tools/deploy/kafka-topics.ts', '--check'],
      { cwd: root, timeout: 60_000 },
    ).catch((error: { stderr?: string }) => ({ stderr: error.stderr ?? String(error), failed: true }));
    expect(check).not.toHaveProperty('failed');
  }, 60_000);

  it.each([
    ['dev', 1],
    ['prod', 3],
  ] as const)(
    '%s: one KafkaTopic per declared topic, with its partitions and configs (min.insync.replicas 2 once replicated)',
    (overlay, replicas) => {
      const topics = objects(overlay).filter((o) => o.kind === 'KafkaTopic');
      expect(topics.map((t) => t.spec.topicName).sort()).toEqual(ALL_TOPICS.map((t) => t.name).sort());
      for (const declared of ALL_TOPICS) {
        const topic = topics.find((t) => t.metadata.name === resourceName(declared.name))!;
        expect(topic.spec).toEqual({
          topicName: declared.name,
          partitions: declared.partitions,
          replicas,
          // acks=all means two brokers hold a write where there are replicas; one broker cannot.
          config: { ...declared.configs, 'min.insync.replicas': replicas > 1 ? '2' : '1' },
        });
        expect(topic.metadata.labels?.['strimzi.io/cluster']).toBeTruthy();
      }
    },
  );

  it.each(OVERLAYS)('%s: every workload is probed, bounded, non-root, read-only and spread', (overlay) => {
    const pods = objects(overlay).filter((o) => ['Deployment', 'StatefulSet', 'CronJob'].includes(o.kind));
    expect(pods.map((o) => o.metadata.name)).toEqual(expect.arrayContaining(WORKLOADS));
    for (const o of pods) {
      const spec = podSpec(o);
      const where = `${overlay} ${o.kind}/${o.metadata.name}`;
      expect({ where, runAsNonRoot: spec.securityContext?.runAsNonRoot }).toEqual({
        where,
        runAsNonRoot: true,
      });
      for (const c of spec.containers) {
        expect({ where, ...c.securityContext }).toMatchObject({
          where,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
        });
        expect({ where, requests: c.resources?.requests, limits: c.resources?.limits }).toMatchObject({
          where,
          requests: { cpu: expect.any(String), memory: expect.any(String) },
          limits: { cpu: expect.any(String), memory: expect.any(String) },
        });
        expect({ where, tmp: c.volumeMounts?.some((m) => m.mountPath === '/tmp') }).toEqual({
          where,
          tmp: true,
        });
        if (o.kind !== 'CronJob') {
          expect({ where, ready: !!c.readinessProbe, live: !!c.livenessProbe }).toEqual({
            where,
            ready: true,
            live: true,
          });
        }
        // Every image was given a registry and tag by the overlay.
        expect(c.image).toMatch(/^[^/]+\.[^/]+\/|^localhost:\d+\//);
        expect(c.image).toMatch(/:[\w.-]+$/);
      }
      if (WORKLOADS.includes(o.metadata.name))
        expect(spec.topologySpreadConstraints?.length).toBeGreaterThan(0);
    }
  });

  it.each(OVERLAYS)(
    '%s: a Service and a PodDisruptionBudget per service; HPAs within the partitions',
    (overlay) => {
      for (const name of WORKLOADS) {
        expect(find(overlay, 'Service', name)).toBeDefined();
        expect(find(overlay, 'PodDisruptionBudget', name)?.spec.selector.matchLabels).toMatchObject({
          'app.kubernetes.io/name': name,
        });
      }
      const hpas = objects(overlay).filter((o) => o.kind === 'HorizontalPodAutoscaler');
      expect(hpas.map((h) => h.metadata.name).sort()).toEqual([...AUTOSCALED].sort());
      for (const hpa of hpas) {
        const target = hpa.spec.scaleTargetRef;
        expect(find(overlay, target.kind, target.name)).toBeDefined();
        expect(hpa.spec.minReplicas).toBeLessThanOrEqual(hpa.spec.maxReplicas);
        // A consumer group uses at most one member per partition of the topic it reads.
        if (hpa.metadata.name.startsWith('connector-'))
          expect(hpa.spec.maxReplicas).toBeLessThanOrEqual(TOPICS.contactPreferencesState.partitions);
      }
      expect(find(overlay, 'Deployment', 'identity-resolver')?.spec.replicas).toBeLessThanOrEqual(
        TOPICS.contactInbound.partitions,
      );
      // HPA-managed workloads leave replicas to the HPA (apply would otherwise reset them).
      for (const name of AUTOSCALED)
        expect(
          (find(overlay, 'Deployment', name) ?? find(overlay, 'StatefulSet', name))?.spec.replicas,
        ).toBeUndefined();
    },
  );

  it.each(OVERLAYS)(
    '%s: secrets only by reference, config maps resolved, nothing secret rendered',
    (overlay) => {
      const all = objects(overlay);
      expect(all.filter((o) => o.kind === 'Secret')).toEqual([]);
      const configMaps = new Set(all.filter((o) => o.kind === 'ConfigMap').map((o) => o.metadata.name));
      for (const cm of all.filter((o) => o.kind === 'ConfigMap'))
        for (const key of Object.keys(cm.data ?? {}))
          expect({ key, secret: SECRET_ENV.test(key) }).toEqual({ key, secret: false });
      for (const o of all.filter((x) => ['Deployment', 'StatefulSet', 'CronJob'].includes(x.kind)))
        for (const c of podSpec(o).containers) {
          for (const ref of c.envFrom ?? []) expect(configMaps).toContain(ref.configMapRef?.name);
          for (const env of c.env ?? [])
            if (SECRET_ENV.test(env.name))
              expect({ env: env.name, ref: env.valueFrom?.secretKeyRef?.name }).toEqual({
                env: env.name,
                ref: expect.stringMatching(/^optstream-/),
              });
        }
    },
  );

  it.each(OVERLAYS)(
    '%s: the signed links and the preference center are configured where they are minted, verified and mailed',
    (overlay) => {
      const all = objects(overlay);
      const workload = (name: string) =>
        find(overlay, 'StatefulSet', name) ?? find(overlay, 'Deployment', name);
      /** Every setting a container sees from its config maps, by variable name. */
      const settingsOf = (name: string): Record<string, string> => {
        const container = podSpec(workload(name)!).containers[0]!;
        const maps = (container.envFrom ?? []).map((r) => r.configMapRef?.name);
        return Object.assign(
          {},
          ...all.filter((o) => o.kind === 'ConfigMap' && maps.includes(o.metadata.name)).map((o) => o.data),
        ) as Record<string, string>;
      };
      const secretRef = (name: string, variable: string) =>
        podSpec(workload(name)!).containers[0]!.env?.find((e) => e.name === variable)?.valueFrom
          ?.secretKeyRef;
      for (const name of ['ingestion-gateway', 'preference-projector', 'connector-email']) {
        const settings = settingsOf(name);
        expect({ name, keys: secretRef(name, 'LINK_TOKEN_KEYS') }).toEqual({
          name,
          keys: { name: 'optstream-links', key: 'link-token-keys' },
        });
        expect(settings).toMatchObject({ LINK_AUDIENCE: 'optstream', LINK_TOKEN_ACTIVE_KEY_ID: 'k1' });
        expect(new URL(settings['LINK_BASE_URL'] ?? '').protocol).toBe('https:');
      }
      const gateway = settingsOf('ingestion-gateway');
      expect(secretRef('ingestion-gateway', 'PREFERENCE_CENTER_READ_API_KEY')).toEqual({
        name: 'optstream-ingestion-gateway',
        key: 'preference-center-read-api-key',
      });
      const readApi = new URL(gateway['PREFERENCE_CENTER_READ_API_URL'] ?? '');
      const projector = find(overlay, 'Service', readApi.hostname);
      expect(projector?.spec.ports.map((p: { port: number }) => p.port)).toContain(Number(readApi.port));
      expect(gateway['BRAND_NAME']).toBeTruthy();
      expect(settingsOf('connector-email')['DOUBLE_OPT_IN_MAIL_FROM']).toMatch(/^[^@\s]+@[^@\s]+$/);
      // The gateway may reach the read API (default deny otherwise).
      const egress = all
        .filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'ingestion-gateway-egress-read-api')
        .flatMap((o) => o.spec.egress);
      expect(egress).toEqual([
        {
          to: [
            {
              podSelector: {
                matchLabels: expect.objectContaining({ 'app.kubernetes.io/name': 'preference-projector' }),
              },
            },
          ],
          ports: [{ port: Number(readApi.port), protocol: 'TCP' }],
        },
      ]);
      if (overlay !== 'prod') return;
      // In production people reach the pages through the ingress, at the host the links are minted for.
      const ingress = find(overlay, 'Ingress', 'ingestion-gateway')!;
      const host = new URL(gateway['LINK_BASE_URL'] ?? '').hostname;
      const rule = ingress.spec.rules.find((r: { host: string }) => r.host === host);
      const paths = rule?.http.paths.map((p: { path: string }) => p.path) ?? [];
      expect(paths).toEqual(expect.arrayContaining(['/u/', '/p/', '/c/']));
    },
  );

  it.each(OVERLAYS)('%s: the spool, the audit CronJob and the rebuild Job template', (overlay) => {
    const gateway = find(overlay, 'StatefulSet', 'ingestion-gateway')!;
    expect(gateway.spec.volumeClaimTemplates[0].metadata.name).toBe('spool');
    expect(podSpec(gateway).containers[0]!.env).toEqual(
      expect.arrayContaining([{ name: 'SPOOL_DIR', value: '/var/spool/optstream/ingestion-gateway' }]),
    );
    const audit = find(overlay, 'CronJob', 'optstream-audit')!;
    expect(podSpec(audit).containers[0]!.args).toEqual(['dist/apps/cli/src/main.js', 'audit']);
    const rebuild = find(overlay, 'CronJob', 'preference-projector-rebuild')!;
    expect(rebuild.spec.suspend).toBe(true);
    expect(podSpec(rebuild).containers[0]!.args).toEqual(['dist/apps/preference-projector/src/rebuild.js']);
  });

  it.each(OVERLAYS)('%s: monitoring and the alerts the runbook documents', (overlay) => {
    expect(find(overlay, 'ServiceMonitor', 'optstream')?.spec.selector.matchLabels).toEqual({
      'optstream.io/metrics': 'true',
    });
    for (const name of WORKLOADS)
      expect(find(overlay, 'Service', name)?.metadata.labels?.['optstream.io/metrics']).toBe('true');
    const rules = find(overlay, 'PrometheusRule', 'optstream')!.spec.groups.flatMap(
      (g: { rules: { alert: string; expr: string }[] }) => g.rules,
    ) as { alert: string; expr: string }[];
    const expr = (alert: string) => rules.find((r) => r.alert === alert)?.expr ?? '';
    expect(expr('OptstreamWebhook5xxSpike')).toContain('webhook_handler_invocations_total');
    expect(expr('OptstreamWebhook4xxSpike')).toContain('webhook_handler_invocations_total');
    expect(expr('OptstreamWebhookSignatureFailures')).toContain('outcome="unauthorized"');
    expect(expr('OptstreamConsumerLagGrowing')).toContain('kafka_consumer_lag{');
    expect(expr('OptstreamDeadLettersNotEmpty')).toContain('dead-letter');
    expect(expr('OptstreamIntegrationLatencyHigh')).toMatch(
      /histogram_quantile\(0\.95,[\s\S]*integration_latency_seconds_bucket[\s\S]*> 1$/m,
    );
    expect(expr('OptstreamProviderCircuitOpen')).toContain('connector_circuit_open');
    const runbook = readFileSync(join(root, 'docs/operations.md'), 'utf8').toLowerCase();
    for (const { alert } of rules)
      expect({ alert, documented: runbook.includes(`### ${alert.toLowerCase()}`) }).toEqual({
        alert,
        documented: true,
      });
  });

  it('default-deny NetworkPolicies in every overlay; provider simulators only in dev', () => {
    for (const overlay of OVERLAYS)
      expect(find(overlay, 'NetworkPolicy', 'optstream-default-deny')?.spec).toEqual({
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
      });
    expect(find('dev', 'Deployment', 'provider-simulators')).toBeDefined();
    expect(find('prod', 'Deployment', 'provider-simulators')).toBeUndefined();
  });

  describe('least privilege (docs/operations.md, "Least privilege")', () => {
    /** Each pod's own Kafka principal (a Strimzi KafkaUser) and database Secret; the gateway has no database. */
    const IDENTITIES: Record<string, { kafkaUser: string; database?: string }> = {
      'ingestion-gateway': { kafkaUser: 'optstream-kafka-ingestion-gateway' },
      'identity-resolver': {
        kafkaUser: 'optstream-kafka-identity-resolver',
        database: 'optstream-db-identity-resolver',
      },
      'preference-projector': {
        kafkaUser: 'optstream-kafka-preference-projector',
        database: 'optstream-db-preference-projector',
      },
      'preference-projector-rebuild': {
        kafkaUser: 'optstream-kafka-preference-projector',
        database: 'optstream-db-preference-projector',
      },
      'connector-email': {
        kafkaUser: 'optstream-kafka-connector-email',
        database: 'optstream-db-connector-email',
      },
      'connector-sms': { kafkaUser: 'optstream-kafka-connector-sms', database: 'optstream-db-connector-sms' },
      'connector-push': {
        kafkaUser: 'optstream-kafka-connector-push',
        database: 'optstream-db-connector-push',
      },
      'optstream-audit': { kafkaUser: 'optstream-kafka-audit', database: 'optstream-db-audit' },
    };
    /** The KafkaUser of each service named as a producer or consumer in topics.ts. */
    const USER_OF_SERVICE: Record<string, string> = {
      'ingestion-gateway': 'optstream-kafka-ingestion-gateway',
      'identity-resolver': 'optstream-kafka-identity-resolver',
      'preference-projector': 'optstream-kafka-preference-projector',
      'connector-email': 'optstream-kafka-connector-email',
      'connector-sms': 'optstream-kafka-connector-sms',
      'connector-push': 'optstream-kafka-connector-push',
      'cli (audit, history)': 'optstream-kafka-audit',
    };
    interface Acl {
      resource: { type: string; name: string; patternType: string };
      operations: string[];
    }
    const aclsOf = (overlay: Overlay, user: string): Acl[] =>
      find(overlay, 'KafkaUser', user)?.spec.authorization.acls ?? [];
    const envOf = (c: Container, name: string) => c.env?.find((e) => e.name === name);

    it.each(OVERLAYS)('%s: every workload uses its own database Secret and Kafka principal', (overlay) => {
      const pods = objects(overlay).filter((o) => ['Deployment', 'StatefulSet', 'CronJob'].includes(o.kind));
      const ours = pods.filter((o) => o.metadata.name !== 'provider-simulators');
      expect(ours.map((o) => o.metadata.name).sort()).toEqual(Object.keys(IDENTITIES).sort());
      for (const o of ours) {
        const where = o.metadata.name;
        const { kafkaUser, database } = IDENTITIES[where]!;
        const c = podSpec(o).containers[0]!;
        expect({ where, user: envOf(c, 'KAFKA_SASL_USERNAME')?.value }).toEqual({ where, user: kafkaUser });
        expect({ where, password: envOf(c, 'KAFKA_SASL_PASSWORD')?.valueFrom?.secretKeyRef }).toMatchObject({
          where,
          password: { name: kafkaUser, key: 'password' },
        });
        expect(find(overlay, 'KafkaUser', kafkaUser)?.spec.authentication).toEqual({ type: 'scram-sha-512' });
        expect({ where, database: envOf(c, 'DATABASE_URL')?.valueFrom?.secretKeyRef?.name }).toEqual({
          where,
          database,
        });
      }
      // No two services share a database Secret (the rebuild Job is the projector's own tool).
      const secrets = Object.entries(IDENTITIES)
        .filter(([name, id]) => name !== 'preference-projector-rebuild' && id.database)
        .map(([, id]) => id.database);
      expect(new Set(secrets).size).toBe(secrets.length);
    });

    it.each(OVERLAYS)(
      '%s: KafkaUser ACLs name declared topics only, and match the producers and consumers of topics.ts',
      (overlay) => {
        const users = objects(overlay).filter((o) => o.kind === 'KafkaUser');
        expect(users.map((u) => u.metadata.name).sort()).toEqual(
          [...new Set(Object.values(IDENTITIES).map((i) => i.kafkaUser))].sort(),
        );
        const declared = new Set(ALL_TOPICS.map((t) => t.name));
        for (const user of users)
          for (const acl of aclsOf(overlay, user.metadata.name)) {
            const where = `${user.metadata.name} ${acl.resource.type} ${acl.resource.name}`;
            expect({ where, type: ['topic', 'group'].includes(acl.resource.type) }).toEqual({
              where,
              type: true,
            });
            expect({
              where,
              operations: acl.operations.filter((op) =>
                ['All', 'Alter', 'Create', 'AlterConfigs'].includes(op),
              ),
            }).toEqual({ where, operations: [] });
            if (acl.resource.type === 'topic')
              expect({
                where,
                literal: acl.resource.patternType,
                declared: declared.has(acl.resource.name),
              }).toEqual({
                where,
                literal: 'literal',
                declared: true,
              });
          }
        const may = (user: string, topic: string, op: string) =>
          aclsOf(overlay, user).some(
            (a) => a.resource.type === 'topic' && a.resource.name === topic && a.operations.includes(op),
          );
        for (const topic of ALL_TOPICS)
          for (const [service, user] of Object.entries(USER_OF_SERVICE)) {
            const where = `${user} on ${topic.name}`;
            expect({ where, write: may(user, topic.name, 'Write') }).toEqual({
              where,
              write: topic.producers.includes(service),
            });
            expect({ where, read: may(user, topic.name, 'Read') }).toEqual({
              where,
              read: topic.consumers.includes(service),
            });
          }
      },
    );

    it.each(OVERLAYS)(
      '%s: connectors reach only infrastructure ports, and 443 on public addresses',
      (overlay) => {
        const INFRASTRUCTURE = ['53/UDP', '53/TCP', '9092/TCP', '9093/TCP', '8081/TCP', '5432/TCP'];
        const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'];
        const selects = (
          selector: {
            matchLabels?: Record<string, string>;
            matchExpressions?: { key: string; operator: string; values: string[] }[];
          },
          labels: Record<string, string>,
        ) =>
          Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v) &&
          (selector.matchExpressions ?? []).every((e) =>
            e.operator === 'In'
              ? e.values.includes(labels[e.key]!)
              : e.operator === 'NotIn'
                ? !e.values.includes(labels[e.key]!)
                : false,
          );
        const policies = objects(overlay).filter((o) => o.kind === 'NetworkPolicy');
        for (const name of ['connector-email', 'connector-sms', 'connector-push']) {
          const labels = find(overlay, 'Deployment', name)!.spec.template.metadata.labels;
          let providers = 0;
          for (const policy of policies.filter((p) => selects(p.spec.podSelector, labels)))
            for (const rule of (policy.spec.egress ?? []) as {
              to?: { ipBlock?: { cidr: string; except?: string[] } }[];
              ports?: { port: number; protocol: string }[];
            }[]) {
              const where = `${overlay} ${name} ${policy.metadata.name}`;
              const anywhere = !rule.to || rule.to.length === 0;
              const ports = (rule.ports ?? []).map((p) => `${p.port}/${p.protocol}`);
              if (anywhere)
                expect({ where, ports: ports.filter((p) => !INFRASTRUCTURE.includes(p)) }).toEqual({
                  where,
                  ports: [],
                });
              const internet = (rule.to ?? []).filter((peer) => peer.ipBlock?.cidr === '0.0.0.0/0');
              for (const peer of internet) {
                expect({ where, ports }).toEqual({ where, ports: ['443/TCP'] });
                expect({ where, except: peer.ipBlock?.except }).toEqual({
                  where,
                  except: expect.arrayContaining(PRIVATE),
                });
                providers += 1;
              }
            }
          expect({ overlay, name, providers }).toEqual({ overlay, name, providers: 1 });
        }
        // The gateway keeps no state in PostgreSQL: no policy lets it reach 5432.
        const gateway = find(overlay, 'StatefulSet', 'ingestion-gateway')!.spec.template.metadata.labels;
        const postgres = policies
          .filter((p) => selects(p.spec.podSelector, gateway))
          .flatMap((p) => (p.spec.egress ?? []) as { ports?: { port: number }[] }[])
          .filter((rule) => (rule.ports ?? []).some((port) => port.port === 5432));
        expect(postgres).toEqual([]);
      },
    );

    it.each(OVERLAYS)('%s: only the identity resolver holds the active master key id', (overlay) => {
      for (const o of objects(overlay).filter((x) =>
        ['Deployment', 'StatefulSet', 'CronJob'].includes(x.kind),
      )) {
        const env = podSpec(o).containers[0]!.env ?? [];
        const where = o.metadata.name;
        expect({ where, active: env.some((e) => e.name === 'OPTSTREAM_ACTIVE_MASTER_KEY_ID') }).toEqual({
          where,
          active: where === 'identity-resolver',
        });
        expect({ where, masterKeys: env.some((e) => e.name === 'OPTSTREAM_MASTER_KEYS') }).toEqual({
          where,
          masterKeys: [
            'identity-resolver',
            'connector-email',
            'connector-sms',
            'connector-push',
            'optstream-audit',
          ].includes(where),
        });
      }
    });

    it('the SQL bootstrap grants exactly the privileges this table lists', () => {
      const EXPECTED_GRANTS = [
        'GRANT optstream_connectors TO optstream_connector_email, optstream_connector_sms, optstream_connector_push',
        'GRANT USAGE, CREATE ON SCHEMA public TO optstream_identity_resolver, optstream_preference_projector, optstream_connectors',
        'GRANT USAGE ON SCHEMA public TO optstream_audit',
        'GRANT USAGE ON SCHEMA identity TO optstream_connectors, optstream_audit',
        'GRANT SELECT ON identity.identifiers, identity.data_keys TO optstream_connectors, optstream_audit',
        'GRANT USAGE ON SCHEMA preferences TO optstream_audit',
        'GRANT SELECT ON ALL TABLES IN SCHEMA preferences TO optstream_audit',
        'ALTER DEFAULT PRIVILEGES FOR ROLE optstream_preference_projector IN SCHEMA preferences GRANT SELECT ON TABLES TO optstream_audit',
        'GRANT USAGE ON SCHEMA connectors TO optstream_audit',
        'GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA connectors TO optstream_audit',
        'ALTER DEFAULT PRIVILEGES FOR ROLE optstream_connectors IN SCHEMA connectors GRANT SELECT, INSERT, UPDATE ON TABLES TO optstream_audit',
        'GRANT SELECT ON public.connectors_migrations TO optstream_audit',
        "GRANT CONNECT ON DATABASE %I TO optstream_identity_resolver, optstream_preference_projector, optstream_connectors, optstream_audit'",
        "GRANT CREATE ON DATABASE %I TO optstream_identity_resolver, optstream_preference_projector, optstream_connectors'",
      ];
      const sql = readFileSync(join(root, 'deploy/postgres/roles.sql'), 'utf8')
        .split('\n')
        .filter((line) => !line.trim().startsWith('--'))
        .join('\n');
      const grants = sql
        .split('\n')
        .flatMap(
          (line) => line.match(/(?:ALTER DEFAULT PRIVILEGES|GRANT) [^;]*(?=;|', current_database)/g) ?? [],
        )
        .map((g) => g.replace(/^(GRANT .*DATABASE %I TO [^']*).*$/, "$1'"));
      expect(grants.sort()).toEqual([...EXPECTED_GRANTS].sort());
      // Schemas belong to the service that migrates them; no privilege is granted to PUBLIC.
      expect(sql).toContain(
        'CREATE SCHEMA IF NOT EXISTS identity AUTHORIZATION optstream_identity_resolver;',
      );
      expect(sql).toContain(
        'CREATE SCHEMA IF NOT EXISTS preferences AUTHORIZATION optstream_preference_projector;',
      );
      expect(sql).toContain('CREATE SCHEMA IF NOT EXISTS connectors AUTHORIZATION optstream_connectors;');
      expect(sql).not.toMatch(/GRANT [^;]* TO [^;]*\bPUBLIC\b/i);
      expect(sql).not.toMatch(/\bSUPERUSER\b|\bALL PRIVILEGES\b/i);
    });
  });
});
