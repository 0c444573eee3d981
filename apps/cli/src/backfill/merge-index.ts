import type { BackfillChannel, BackfillStatus } from './formats';
import type { Identifiers, RowFact } from './row-mapper';

/** Where a value came from: file (index into the run's files) and the line its row starts on. */
export interface Side {
  readonly status: BackfillStatus;
  readonly occurredAt: number;
  readonly file: number;
  readonly line: number;
}

/** Two rows of one person disagree on a channel's status; the later one (by occurredAt) wins. */
export interface ChannelConflict {
  readonly kind: 'channel';
  readonly contact: Identifiers;
  readonly channel: BackfillChannel;
  readonly a: Side;
  readonly b: Side;
  readonly winner: 'a' | 'b';
}

/** An email or phone that rows tie to two different externalIds: not linked (rule 4), reported. */
export interface IdentifierConflict {
  readonly kind: 'identifier';
  readonly attribute: 'email' | 'phone';
  readonly value: string;
  readonly externalIds: readonly [string, string];
  readonly file: number;
  readonly line: number;
}

export type Conflict = ChannelConflict | IdentifierConflict;

interface Group {
  parent: number;
  externalId: string | null;
  email: string | null;
  phone: string | null;
  email_?: Side;
  sms_?: Side;
  push_?: Side;
}

const SLOT = { email: 'email_', sms: 'sms_', push: 'push_' } as const;
const CHANNELS: readonly BackfillChannel[] = ['email', 'sms', 'push'];

/** One consolidated person: identifiers plus the winning status per channel. */
export interface MergedContact {
  readonly identifiers: Identifiers;
  readonly channels: readonly (Side & { readonly channel: BackfillChannel })[];
}

export interface MergeCounts {
  facts: number;
  duplicates: number;
  superseded: number;
  conflicts: number;
  identifierConflicts: number;
}

/**
 * The merge of every accepted row, in memory (see docs/cli.md for the cost per row): rows are linked
 * into one person by externalId, then normalized email, then E.164 phone — the identity resolver's order —
 * with a union-find over identifier keys. Two people who both have an externalId are never merged
 * (rule 4): an email or phone they share is reported and stays with the first. Per channel the change
 * with the latest occurredAt wins; an exact tie goes to unsubscribed (the projector's rule); the same
 * status at the same time is a duplicate and is dropped.
 */
export class MergeIndex {
  private readonly groups: Group[] = [];
  private readonly byKey = new Map<string, number>();
  readonly counts: MergeCounts = {
    facts: 0,
    duplicates: 0,
    superseded: 0,
    conflicts: 0,
    identifierConflicts: 0,
  };

  constructor(private readonly onConflict: (conflict: Conflict) => void) {}

  get contacts(): number {
    let n = 0;
    for (let i = 0; i < this.groups.length; i += 1) if (this.groups[i]?.parent === i) n += 1;
    return n;
  }

  add(ids: Identifiers, facts: readonly RowFact[], file: number, line: number): void {
    const gx = this.lookup('x', ids.externalId);
    const ge = this.lookup('e', ids.email);
    const gp = this.lookup('p', ids.phone);
    let target = gx ?? ge ?? gp;
    if (target === undefined) {
      target = this.newGroup(ids.externalId);
    } else if (gx === undefined && ids.externalId !== null && this.group(target).externalId !== null) {
      // The email/phone belongs to another person with an externalId: this row is a new person.
      this.identifierConflict(ids, this.group(target), file, line);
      target = this.newGroup(ids.externalId);
    }
    for (const other of [ge, gp]) {
      if (other === undefined || other === target) continue;
      const a = this.group(target);
      const b = this.group(other);
      if (a.externalId !== null && b.externalId !== null && a.externalId !== b.externalId) {
        this.identifierConflict(ids, b, file, line);
        continue;
      }
      this.union(target, other);
    }
    const g = this.group(target);
    this.claim(g, target, 'x', 'externalId', ids.externalId);
    this.claim(g, target, 'e', 'email', ids.email);
    this.claim(g, target, 'p', 'phone', ids.phone);
    for (const fact of facts) {
      this.counts.facts += 1;
      this.offer(g, fact.channel, { status: fact.status, occurredAt: fact.occurredAt, file, line });
    }
  }

  /** The consolidated people, in first-seen order (deterministic for a given set of files). */
  *merged(): Generator<MergedContact> {
    for (let i = 0; i < this.groups.length; i += 1) {
      const g = this.groups[i];
      if (!g || g.parent !== i) continue;
      const channels = CHANNELS.flatMap((channel) => {
        const side = g[SLOT[channel]];
        return side ? [{ ...side, channel }] : [];
      });
      if (channels.length > 0)
        yield { identifiers: { externalId: g.externalId, email: g.email, phone: g.phone }, channels };
    }
  }

  private newGroup(externalId: string | null): number {
    const at = this.groups.length;
    this.groups.push({ parent: at, externalId, email: null, phone: null });
    return at;
  }

  private lookup(prefix: string, value: string | null): number | undefined {
    if (value === null) return undefined;
    const at = this.byKey.get(prefix + value);
    return at === undefined ? undefined : this.find(at);
  }

  private find(i: number): number {
    let root = i;
    while (this.group(root).parent !== root) root = this.group(root).parent;
    let at = i;
    while (at !== root) {
      const next = this.group(at).parent;
      this.group(at).parent = root;
      at = next;
    }
    return root;
  }

  private group(i: number): Group {
    const g = this.groups[i];
    if (!g) throw new Error(`no merge group ${i}`);
    return g;
  }

  private union(into: number, from: number): void {
    const a = this.group(into);
    const b = this.group(from);
    b.parent = into;
    a.externalId ??= b.externalId;
    a.email ??= b.email;
    a.phone ??= b.phone;
    for (const channel of CHANNELS) {
      const side = b[SLOT[channel]];
      if (side) this.offer(a, channel, side);
      delete b[SLOT[channel]];
    }
  }

  private claim(
    g: Group,
    at: number,
    prefix: string,
    field: 'externalId' | 'email' | 'phone',
    value: string | null,
  ): void {
    if (value === null) return;
    const owner = this.lookup(prefix, value);
    if (owner !== undefined) return;
    if (g[field] === null) g[field] = value;
    // A second email/phone of a person is linked to the person (later rows find it) but the person
    // keeps its first one as the address it is published with.
    this.byKey.set(prefix + value, at);
  }

  private offer(g: Group, channel: BackfillChannel, incoming: Side): void {
    const slot = SLOT[channel];
    const current = g[slot];
    if (!current) {
      g[slot] = incoming;
      return;
    }
    if (current.status === incoming.status) {
      if (current.occurredAt === incoming.occurredAt) this.counts.duplicates += 1;
      else {
        this.counts.superseded += 1;
        if (incoming.occurredAt > current.occurredAt) g[slot] = incoming;
      }
      return;
    }
    const incomingWins =
      incoming.occurredAt !== current.occurredAt
        ? incoming.occurredAt > current.occurredAt
        : incoming.status === 'unsubscribed';
    this.counts.conflicts += 1;
    this.onConflict({
      kind: 'channel',
      contact: { externalId: g.externalId, email: g.email, phone: g.phone },
      channel,
      a: current,
      b: incoming,
      winner: incomingWins ? 'b' : 'a',
    });
    if (incomingWins) g[slot] = incoming;
  }

  private identifierConflict(ids: Identifiers, owner: Group, file: number, line: number): void {
    const attribute = ids.email !== null && owner.email === ids.email ? 'email' : 'phone';
    const value = attribute === 'email' ? ids.email : ids.phone;
    this.counts.identifierConflicts += 1;
    this.onConflict({
      kind: 'identifier',
      attribute,
      value: value ?? '',
      externalIds: [owner.externalId ?? '', ids.externalId ?? ''],
      file,
      line,
    });
  }
}
