/**
 * The AsyncAPI document restates topics.ts for humans and tooling; this finds every place where the two
 * (or schemas/) disagree. Pure: the raw parsed YAML in, a list of readable differences out.
 */
export interface DeclaredTopic {
  readonly name: string;
  readonly valueSchema: string;
  readonly key: string;
  readonly partitions: number;
  readonly configs: Readonly<Record<string, string>>;
  readonly producers: readonly string[];
  readonly consumers: readonly string[];
}

type Obj = Readonly<Record<string, unknown>>;

const asObj = (value: unknown): Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : {};
const asStrings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/** Follows local `$ref`s (`#/components/...`); external ones are left as they are. */
function deref(doc: Obj, value: unknown): Obj {
  const ref = asObj(value)['$ref'];
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return asObj(value);
  const path = ref
    .slice(2)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  return deref(
    doc,
    path.reduce<unknown>((node, key) => asObj(node)[key], doc),
  );
}

/** Kafka-binding topicConfiguration → the string map topics.ts uses (`cleanup.policy` is a list there). */
function configsOf(configuration: Obj): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(configuration)) {
    out[key] = Array.isArray(value) ? value.map(String).join(',') : String(value);
  }
  return out;
}

const schemaFileOf = (payloadRef: unknown): string | undefined =>
  typeof payloadRef === 'string' ? /(?:^|\/)schemas\/([^/]+)\.avsc$/.exec(payloadRef)?.[1] : undefined;

interface DocumentedChannel {
  readonly id: string;
  readonly address: string;
  readonly valueSchemas: readonly (string | undefined)[];
  readonly keys: readonly (string | undefined)[];
  readonly partitions: unknown;
  readonly configs: Record<string, string>;
  readonly producers: string[];
  readonly consumers: string[];
}

function channelsOf(doc: Obj): DocumentedChannel[] {
  const operations = Object.values(asObj(doc['operations'])).map(asObj);
  return Object.entries(asObj(doc['channels'])).map(([id, raw]) => {
    const channel = deref(doc, raw);
    const kafka = asObj(asObj(channel['bindings'])['kafka']);
    const messages = Object.values(asObj(channel['messages'])).map((m) => deref(doc, m));
    const servicesFor = (action: string) =>
      operations
        .filter((op) => op['action'] === action && asObj(op['channel'])['$ref'] === `#/channels/${id}`)
        .flatMap((op) => asStrings(op['x-services']));
    return {
      id,
      address: String(channel['address']),
      valueSchemas: messages.map((m) => schemaFileOf(asObj(asObj(m['payload'])['schema'])['$ref'])),
      keys: messages.map((m) => {
        const description = asObj(asObj(asObj(m['bindings'])['kafka'])['key'])['description'];
        return typeof description === 'string' ? description : undefined;
      }),
      partitions: kafka['partitions'],
      configs: configsOf(asObj(kafka['topicConfiguration'])),
      producers: servicesFor('send'),
      consumers: servicesFor('receive'),
    };
  });
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  JSON.stringify([...new Set(a)].sort()) === JSON.stringify([...new Set(b)].sort()) && a.length === b.length;
const show = (values: readonly string[]) => `[${values.join(', ')}]`;

export function compareAsyncApi(
  document: unknown,
  topics: readonly DeclaredTopic[],
  schemaFiles: readonly string[],
): string[] {
  const doc = asObj(document);
  const channels = channelsOf(doc);
  const differences: string[] = [];
  for (const topic of topics) {
    const matching = channels.filter((c) => c.address === topic.name);
    const [channel] = matching;
    if (channel === undefined) {
      differences.push(`topic ${topic.name}: no channel with this address`);
      continue;
    }
    const where = `topic ${topic.name} (channel ${channel.id})`;
    if (matching.length > 1) differences.push(`${where}: ${matching.length} channels share this address`);
    if (channel.valueSchemas.length !== 1 || channel.valueSchemas[0] !== topic.valueSchema) {
      differences.push(
        `${where}: messages reference ${show(channel.valueSchemas.map((s) => s ?? '(no ../schemas/*.avsc $ref)'))}, ` +
          `topics.ts says ${topic.valueSchema}`,
      );
    }
    if (channel.keys.some((k) => k !== topic.key)) {
      differences.push(
        `${where}: message key ${show(channel.keys.map((k) => JSON.stringify(k)))}, topics.ts says "${topic.key}"`,
      );
    }
    if (channel.partitions !== topic.partitions) {
      differences.push(
        `${where}: partitions ${String(channel.partitions)}, topics.ts says ${topic.partitions}`,
      );
    }
    for (const key of [...new Set([...Object.keys(topic.configs), ...Object.keys(channel.configs)])].sort()) {
      const documented = channel.configs[key];
      const declared = topic.configs[key];
      if (documented !== declared) {
        differences.push(
          `${where}: config ${key} is ${documented ?? '(absent)'}, topics.ts says ${declared ?? '(absent)'}`,
        );
      }
    }
    if (!sameSet(channel.producers, topic.producers)) {
      differences.push(
        `${where}: send operations name ${show(channel.producers)}, topics.ts producers ${show(topic.producers)}`,
      );
    }
    if (!sameSet(channel.consumers, topic.consumers)) {
      differences.push(
        `${where}: receive operations name ${show(channel.consumers)}, topics.ts consumers ${show(topic.consumers)}`,
      );
    }
  }
  const declaredNames = new Set(topics.map((t) => t.name));
  for (const channel of channels.filter((c) => !declaredNames.has(c.address))) {
    differences.push(`channel ${channel.id} (address ${channel.address}): not a topic in topics.ts`);
  }
  const referenced = new Set(channels.flatMap((c) => c.valueSchemas));
  for (const file of schemaFiles.filter((f) => !referenced.has(f))) {
    differences.push(`schemas/${file}.avsc: not referenced by any channel's messages`);
  }
  for (const missing of [...referenced].filter(
    (f): f is string => f !== undefined && !schemaFiles.includes(f),
  )) {
    differences.push(`schemas/${missing}.avsc: referenced but does not exist`);
  }
  return differences;
}
