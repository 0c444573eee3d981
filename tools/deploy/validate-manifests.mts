/**
 * Validates rendered Kubernetes objects against the Kubernetes and Prometheus Operator OpenAPI schemas
 * (the kubernetes-models packages: types, required fields, enums, formats, patterns), and Strimzi
 * KafkaTopics and KafkaUsers structurally (no maintained model package exists for Strimzi).
 *
 *   kubectl kustomize deploy/k8s/overlays/prod | npx tsx tools/deploy/validate-manifests.mts
 *
 * Prints one JSON line: { "validated": n, "errors": ["Kind/name: message", …] }; exit 1 on any error.
 * An ES module because kubernetes-models ships ES modules only (tools/deploy/test/k8s.spec.ts runs it).
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

interface K8sObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
}

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: unknown) => Validatable;

const MODEL_PACKAGES: Record<string, string> = {
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
};

async function modelFor(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const pkg = MODEL_PACKAGES[group] ?? 'kubernetes-models';
  const mod = (await import(`${pkg}/${apiVersion}`).catch(() => ({}))) as Record<string, unknown>;
  return mod[kind] as ModelClass | undefined;
}

function validateKafkaTopic(o: K8sObject): string[] {
  const errors: string[] = [];
  const spec = (o.spec ?? {}) as Record<string, unknown>;
  if (o.apiVersion !== 'kafka.strimzi.io/v1beta2' && o.apiVersion !== 'kafka.strimzi.io/v1')
    errors.push(`apiVersion ${o.apiVersion} is not a Strimzi KafkaTopic version`);
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(o.metadata?.name ?? ''))
    errors.push('metadata.name is not a DNS-1123 label');
  if (!o.metadata?.labels?.['strimzi.io/cluster']) errors.push('label strimzi.io/cluster is missing');
  for (const key of Object.keys(spec))
    if (!['topicName', 'partitions', 'replicas', 'config'].includes(key))
      errors.push(`unknown field spec.${key}`);
  if (typeof spec['topicName'] !== 'string' || !/^[a-zA-Z0-9._-]{1,249}$/.test(spec['topicName']))
    errors.push('spec.topicName must be a valid Kafka topic name');
  for (const key of ['partitions', 'replicas'])
    if (!Number.isInteger(spec[key]) || (spec[key] as number) < 1)
      errors.push(`spec.${key} must be an integer >= 1`);
  const config = spec['config'];
  if (config !== undefined && (typeof config !== 'object' || config === null || Array.isArray(config)))
    errors.push('spec.config must be a map');
  else
    for (const [k, v] of Object.entries(config ?? {}))
      if (!['string', 'number', 'boolean'].includes(typeof v))
        errors.push(`spec.config.${k} must be a scalar`);
  return errors;
}

const ACL_RESOURCE_TYPES = ['topic', 'group', 'cluster', 'transactionalId'];
const ACL_OPERATIONS = [
  'Read',
  'Write',
  'Create',
  'Delete',
  'Alter',
  'Describe',
  'ClusterAction',
  'AlterConfigs',
  'DescribeConfigs',
  'IdempotentWrite',
  'All',
];

/** Strimzi's KafkaUser (v1beta2): SCRAM or TLS authentication, `simple` authorization with ACL rules. */
function validateKafkaUser(o: K8sObject): string[] {
  const errors: string[] = [];
  const spec = (o.spec ?? {}) as Record<string, unknown>;
  if (o.apiVersion !== 'kafka.strimzi.io/v1beta2') errors.push(`apiVersion ${o.apiVersion} is not v1beta2`);
  if (!o.metadata?.labels?.['strimzi.io/cluster']) errors.push('label strimzi.io/cluster is missing');
  for (const key of Object.keys(spec))
    if (!['authentication', 'authorization', 'quotas', 'template'].includes(key))
      errors.push(`unknown field spec.${key}`);
  const authentication = spec['authentication'] as { type?: string } | undefined;
  if (!['scram-sha-512', 'tls', 'tls-external'].includes(authentication?.type ?? ''))
    errors.push('spec.authentication.type must be scram-sha-512, tls or tls-external');
  const authorization = spec['authorization'] as { type?: string; acls?: unknown } | undefined;
  if (authorization?.type !== 'simple') errors.push('spec.authorization.type must be simple');
  if (!Array.isArray(authorization?.acls) || authorization.acls.length === 0)
    errors.push('spec.authorization.acls must be a non-empty list');
  for (const [i, acl] of ((authorization?.acls ?? []) as Record<string, unknown>[]).entries()) {
    const resource = (acl['resource'] ?? {}) as Record<string, unknown>;
    if (!ACL_RESOURCE_TYPES.includes(String(resource['type'])))
      errors.push(`acls[${i}].resource.type must be one of ${ACL_RESOURCE_TYPES.join(', ')}`);
    if (resource['type'] !== 'cluster' && typeof resource['name'] !== 'string')
      errors.push(`acls[${i}].resource.name is required`);
    if (!['literal', 'prefix', undefined].includes(resource['patternType'] as string | undefined))
      errors.push(`acls[${i}].resource.patternType must be literal or prefix`);
    const operations = acl['operations'];
    if (!Array.isArray(operations) || operations.length === 0)
      errors.push(`acls[${i}].operations must be a non-empty list`);
    else
      for (const op of operations)
        if (!ACL_OPERATIONS.includes(op)) errors.push(`acls[${i}].operations: unknown operation ${op}`);
  }
  return errors;
}

const STRIMZI_VALIDATORS: Record<string, (o: K8sObject) => string[]> = {
  KafkaTopic: validateKafkaTopic,
  KafkaUser: validateKafkaUser,
};

async function main(): Promise<void> {
  const file = process.argv[2];
  const text = file ? readFileSync(file, 'utf8') : readFileSync(0, 'utf8');
  const errors: string[] = [];
  let validated = 0;
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      errors.push(`YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
      continue;
    }
    const o = doc.toJS() as K8sObject | null;
    if (!o) continue;
    const id = `${o.kind ?? '?'}/${o.metadata?.name ?? '?'}`;
    if (!o.apiVersion || !o.kind) {
      errors.push(`${id}: apiVersion and kind are required`);
      continue;
    }
    const strimzi = STRIMZI_VALIDATORS[o.kind];
    if (strimzi) {
      errors.push(...strimzi(o).map((e) => `${id}: ${e}`));
      validated += 1;
      continue;
    }
    const Model = await modelFor(o.apiVersion, o.kind);
    if (!Model) {
      errors.push(`${id}: no schema for ${o.apiVersion} ${o.kind}`);
      continue;
    }
    try {
      new Model(o).validate();
      validated += 1;
    } catch (error) {
      errors.push(`${id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  process.stdout.write(`${JSON.stringify({ validated, errors })}\n`);
  process.exit(errors.length > 0 ? 1 : 0);
}

await main();
