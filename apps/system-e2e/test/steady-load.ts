import { randomInt, randomUUID } from 'node:crypto';
import type { WebhookSender } from '@optstream/provider-simulators';

export type Channel = 'email' | 'sms' | 'push';
export type Status = 'subscribed' | 'unsubscribed';

/** A change the gateway accepted (answered 2xx): the input the final state must be computed from. */
export interface AcceptedChange {
  readonly externalId: string;
  readonly channel: Channel;
  readonly status: Status;
  readonly occurredAt: number;
  readonly messageId: string;
}

const CHANNELS: readonly Channel[] = ['email', 'sms', 'push'];
const BASE = Date.parse('2026-01-01T00:00:00Z');

/**
 * Segment-style preference changes at a fixed rate for a fixed set of contacts, through the gateway:
 * mostly fresh changes, some late (older occurredAt) ones and some exact duplicates (a client retry).
 * Records what was accepted; a refused or failed request is not an accepted change.
 */
export class SteadyLoad {
  readonly accepted: AcceptedChange[] = [];
  /** Sent, but no answer came back (gateway killed mid-request, client timeout): may or may not have landed. */
  readonly indeterminate: AcceptedChange[] = [];
  /** Answered with a non-2xx status: not accepted. */
  refused = 0;
  duplicatesSent = 0;
  private sequence = 0;
  private running = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly sender: WebhookSender,
    private readonly contacts: readonly string[],
    private readonly ratePerSecond: number,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    const interval = 1000 / this.ratePerSecond;
    let next = Date.now();
    while (this.running) {
      const request = this.sendOne().finally(() => inFlight.delete(request));
      inFlight.add(request);
      next += interval;
      // Pacing the generator, not synchronising the test: requests go out at a fixed rate.
      await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
    }
    await Promise.all(inFlight);
  }

  private nextChange(): AcceptedChange {
    const n = ++this.sequence;
    // Every 10th change is late: it happened well before changes already sent.
    const occurredAt = BASE + (n % 10 === 0 ? Math.max(0, n - 300) : n) * 1000 + (n % 10 === 0 ? 1 : 0);
    return {
      externalId: this.contacts[randomInt(this.contacts.length)] ?? '',
      channel: CHANNELS[randomInt(CHANNELS.length)] ?? 'email',
      status: randomInt(2) === 0 ? 'subscribed' : 'unsubscribed',
      occurredAt,
      messageId: randomUUID(),
    };
  }

  private async sendOne(): Promise<void> {
    const duplicate = this.accepted.length > 0 && randomInt(20) === 0;
    const change = duplicate ? this.accepted[randomInt(this.accepted.length)]! : this.nextChange();
    try {
      const answer = await this.sender.segmentTrack({
        userId: change.externalId,
        messageId: change.messageId,
        event: 'Marketing Preference Updated',
        timestamp: new Date(change.occurredAt).toISOString(),
        // No sentAt: the suite compares occurredAt exactly, and skew correction would move it by the
        // request's transit time (a few ms, different per request).
        sentAt: null,
        properties: { channel: change.channel, new_status: change.status, source_of_change: 'Fault Suite' },
      });
      if (answer.status >= 200 && answer.status < 300) {
        if (duplicate) this.duplicatesSent++;
        else this.accepted.push(change);
      } else this.refused++;
    } catch {
      if (!duplicate) this.indeterminate.push(change);
    }
  }
}

/** One change as a comparable key: who, which channel, what, when. */
export const changeKey = (c: {
  externalId: string;
  channel: string;
  status: string;
  occurredAt: number;
}): string => `${c.externalId}/${c.channel}/${c.status}/${c.occurredAt}`;

/** The state the inputs imply: latest occurredAt per contact and channel; a tie goes to unsubscribed. */
export function expectedStates(
  changes: readonly AcceptedChange[],
): Map<string, Partial<Record<Channel, Status>>> {
  const winners = new Map<string, AcceptedChange>();
  for (const change of changes) {
    const key = `${change.externalId}/${change.channel}`;
    const current = winners.get(key);
    if (
      current === undefined ||
      change.occurredAt > current.occurredAt ||
      (change.occurredAt === current.occurredAt && change.status === 'unsubscribed')
    )
      winners.set(key, change);
  }
  const states = new Map<string, Partial<Record<Channel, Status>>>();
  for (const winner of winners.values())
    states.set(winner.externalId, { ...states.get(winner.externalId), [winner.channel]: winner.status });
  return states;
}
