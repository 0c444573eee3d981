import type { TopicCatalogue } from '@optstream/consent-topics';
import type { SimulatorState } from './simulator-state';

/** SendGrid refuses a group name longer than 30 characters (`POST /v3/asm/groups`). */
const SENDGRID_GROUP_NAME_MAX = 30;

/**
 * Sets the simulated accounts up as an operator sets up the real ones for a topic catalogue
 * (docs/consent-model.md): every topic's SendGrid unsubscribe group exists, named after the topic.
 * Suppressing in any other group id is the 404 real SendGrid answers (docs/providers.md, SG-GRP).
 */
export function setUpAccounts(state: SimulatorState, catalogue: TopicCatalogue): void {
  for (const topic of catalogue.topics) {
    const group = topic.providers.sendgrid;
    if (group === undefined) continue;
    state.sendgrid.configureGroup(
      group.unsubscribeGroupId,
      topic.name.slice(0, SENDGRID_GROUP_NAME_MAX),
      `optstream topic ${topic.id}`,
    );
  }
}
