import { readFileSync } from 'node:fs';
import { parseTopicCatalogue, TopicIndex } from './topic-catalogue';
import defaultCatalogue from '../consent-topics.json';

/** Names the variable that points a service at an operator's own catalogue file (JSON). */
export const CONSENT_TOPICS_FILE = 'CONSENT_TOPICS_FILE';

/** Thrown at start-up: a service never runs with a catalogue it could misread. */
export class TopicCatalogueError extends Error {
  constructor(
    readonly origin: string,
    readonly problems: readonly string[],
  ) {
    super(`topic catalogue ${origin} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'TopicCatalogueError';
  }
}

/**
 * The catalogue a service runs with: `CONSENT_TOPICS_FILE` when set, else the one versioned in this
 * library (libs/shared/consent-topics/consent-topics.json). Validated before anything uses it.
 */
export function loadTopicCatalogue(source: NodeJS.ProcessEnv = process.env): TopicIndex {
  const file = source[CONSENT_TOPICS_FILE];
  const origin = file ?? 'libs/shared/consent-topics/consent-topics.json';
  let document: unknown = defaultCatalogue;
  if (file !== undefined && file !== '') {
    try {
      document = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new TopicCatalogueError(origin, [error instanceof Error ? error.message : String(error)]);
    }
  }
  const result = parseTopicCatalogue(document);
  if (!result.ok) throw new TopicCatalogueError(origin, result.problems);
  return new TopicIndex(result.catalogue);
}
