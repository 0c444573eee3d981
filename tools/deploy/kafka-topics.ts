import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ALL_TOPICS, type TopicDeclaration } from '@optstream/contracts';
import { stringify } from 'yaml';

/**
 * Strimzi `KafkaTopic` resources generated from the topic declarations (libs/shared/contracts), so the
 * cluster's topics cannot drift from what the code creates locally and what the AsyncAPI document says.
 *
 *   npx tsx --tsconfig tsconfig.base.json tools/deploy/kafka-topics.ts            # rewrite the files
 *   npx tsx --tsconfig tsconfig.base.json tools/deploy/kafka-topics.ts --check # exit 1 if a committed file is stale (k8s.spec.ts checks it too)
 */
export const STRIMZI_CLUSTER = 'kafka';
const root = resolve(__dirname, '../..');
export const TOPICS_FILE = join(root, 'deploy/k8s/base/kafka-topics.yaml');
export const DEV_REPLICAS_FILE = join(root, 'deploy/k8s/overlays/dev/kafka-topics-replicas.yaml');

const HEADER = `# GENERATED from libs/shared/contracts/src/topics.ts by tools/deploy/kafka-topics.ts: do not edit;
# run \`npx tsx --tsconfig tsconfig.base.json tools/deploy/kafka-topics.ts\`. tools/deploy/test/k8s.spec.ts fails when this file is stale.\n`;

/** Kubernetes names allow no '_' and should not carry the topic's dots; spec.topicName keeps the real name. */
export const resourceName = (topic: string): string => topic.replace(/[._]/g, '-');

export function kafkaTopic(topic: TopicDeclaration, replicas = 3): Record<string, unknown> {
  return {
    apiVersion: 'kafka.strimzi.io/v1beta2',
    kind: 'KafkaTopic',
    metadata: {
      name: resourceName(topic.name),
      labels: { 'strimzi.io/cluster': STRIMZI_CLUSTER },
      annotations: { 'optstream.io/value-schema': `${topic.valueSchema}` },
    },
    spec: { topicName: topic.name, partitions: topic.partitions, replicas, config: { ...topic.configs } },
  };
}

const documents = (docs: readonly unknown[]): string =>
  HEADER + docs.map((d) => `---\n${stringify(d, { lineWidth: 0 })}`).join('');

export function renderTopics(topics: readonly TopicDeclaration[] = ALL_TOPICS): string {
  return documents(topics.map((t) => kafkaTopic(t)));
}

/** The dev overlay's patch: one replica per partition on a single-broker development cluster. */
export function renderDevReplicas(topics: readonly TopicDeclaration[] = ALL_TOPICS): string {
  return documents(
    topics.map((t) => ({
      apiVersion: 'kafka.strimzi.io/v1beta2',
      kind: 'KafkaTopic',
      metadata: { name: resourceName(t.name) },
      spec: { replicas: 1 },
    })),
  );
}

export const GENERATED: ReadonlyArray<readonly [string, () => string]> = [
  [TOPICS_FILE, renderTopics],
  [DEV_REPLICAS_FILE, renderDevReplicas],
];

/** What the committed file must contain: the rendering, formatted as `npm run format` would. */
export async function expectedContent(file: string, render: () => string): Promise<string> {
  // Loaded on use: Prettier imports ES modules dynamically, which Jest's VM cannot (k8s.spec.ts imports us).
  const { format, resolveConfig } = await import('prettier');
  const options = (await resolveConfig(file)) ?? {};
  return format(render(), { ...options, filepath: file });
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

async function main(check: boolean): Promise<number> {
  let stale = 0;
  for (const [file, render] of GENERATED) {
    const expected = await expectedContent(file, render);
    if (read(file) === expected) continue;
    if (check) {
      console.error(
        `stale: ${relative(root, file)} (run npx tsx --tsconfig tsconfig.base.json tools/deploy/kafka-topics.ts)`,
      );
      stale += 1;
    } else {
      writeFileSync(file, expected);
      process.stdout.write(`wrote ${relative(root, file)}\n`);
    }
  }
  return stale > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.includes('--check')).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
