import type { IdentityEvent } from '@optstream/contracts';
import { identifierKey, type IdentifierRef, type IdentityView } from '@optstream/identity-domain';
import { DataKeyDestroyedError } from './data-key-store';
import { IdentityConflictError } from './pg-errors';

/** What an identifier row is set to by a link or a move (a merge moves the owner only). */
interface SealedWrite {
  readonly sealedValue: Buffer;
  readonly dataKeyId: string;
  readonly eventId: string;
}

interface IdentifierState {
  readonly kind: string;
  readonly keyedHash: string;
  /** Owner in the table before these events; null: no row. */
  readonly before: string | null;
  owner: string | null;
  write: SealedWrite | null;
}

interface ContactState {
  readonly existed: boolean;
  readonly provisional: boolean;
  readonly mergedBefore: string | null;
  mergedInto: string | null;
  erased: boolean;
  touched: boolean;
}

/** The rows one batch (or a rebuild) writes, each statement stating what it expects to find. */
export interface GraphWrites {
  readonly newContacts: readonly {
    externalId: string;
    provisional: boolean;
    mergedInto: string | null;
    erased: boolean;
  }[];
  /** Existing live provisional contacts merged into another (checked at commit). */
  readonly merges: readonly { externalId: string; into: string }[];
  /** Existing contacts whose version is bumped. */
  readonly touched: readonly string[];
  /** Existing contacts erased (their identifiers released and keys destroyed by `eraseContact`). */
  readonly erased: readonly string[];
  readonly newIdentifiers: readonly {
    kind: string;
    keyedHash: string;
    externalId: string;
    sealedValue: Buffer;
    dataKeyId: string;
    eventId: string;
  }[];
  /** Existing identifiers that changed owner (and, after a link or move, sealed value), from `before`. */
  readonly movedIdentifiers: readonly {
    kind: string;
    keyedHash: string;
    before: string;
    externalId: string;
    write: SealedWrite | null;
  }[];
}

export type ApplyMode =
  /** The resolver: every precondition `writeBatch` checks must already hold here, else a conflict. */
  | 'strict'
  /** A rebuild from the log: apply whatever the log says, like `evolve` does. */
  | 'lenient';

/**
 * The identity tables as rows, in memory: the contacts and identifiers a batch read (or nothing, for
 * a rebuild), with identity.v1 events applied (a link inserts, a move updates from the previous owner,
 * a merge sets the pointer of a live provisional contact and moves its identifiers to the survivor, an
 * erasure releases the contact's identifiers, every event touches the contacts it names). `writes()`
 * then turns the difference into a few bulk statements (`writeBatch`), so a batch of facts costs a
 * handful of round trips instead of several per fact.
 */
export class GraphModel {
  private readonly contacts = new Map<string, ContactState>();
  private readonly identifiers = new Map<string, IdentifierState>();

  /**
   * Seeds the model with what was read from the tables (contacts and the identifiers they own) and
   * the erased contacts the batch names (never registered again: their keys are destroyed).
   */
  constructor(
    loaded?: IdentityView,
    private readonly erasedBefore: ReadonlySet<string> = new Set(),
  ) {
    for (const node of loaded?.contacts.values() ?? []) {
      this.contacts.set(node.externalId, {
        existed: true,
        provisional: node.provisional,
        mergedBefore: node.mergedInto,
        mergedInto: node.mergedInto,
        erased: false,
        touched: false,
      });
      for (const ref of node.identifiers) {
        this.identifiers.set(identifierKey(ref), {
          kind: ref.kind,
          keyedHash: ref.keyedHash,
          before: node.externalId,
          owner: node.externalId,
          write: null,
        });
      }
    }
  }

  /**
   * Whether `event` applies cleanly now (what strict mode requires). A rebuild uses it to pick, among
   * the heads of several partitions, an event whose causes were already applied.
   */
  canApply(event: IdentityEvent): boolean {
    switch (event.kind) {
      case 'contact_registered':
        return !this.contacts.has(event.externalId);
      case 'identifier_linked':
        return event.identifier !== null && this.ownerOf(event.identifier) === null;
      case 'identifier_reassigned':
        return (
          event.identifier !== null &&
          event.otherExternalId !== null &&
          this.ownerOf(event.identifier) === event.otherExternalId
        );
      case 'contacts_merged': {
        const absorbed =
          event.otherExternalId === null ? undefined : this.contacts.get(event.otherExternalId);
        return (
          absorbed !== undefined && absorbed.provisional && absorbed.mergedInto === null && !absorbed.erased
        );
      }
      case 'contact_erased':
        return this.contacts.has(event.externalId);
      case 'unknown':
        return true;
    }
  }

  apply(event: IdentityEvent, mode: ApplyMode): void {
    if (mode === 'strict' && event.kind === 'contact_registered' && this.erasedBefore.has(event.externalId)) {
      throw new DataKeyDestroyedError(event.externalId);
    }
    if (mode === 'strict' && !this.canApply(event)) {
      throw new IdentityConflictError(`${event.kind} ${event.eventId} does not apply to the graph as read`);
    }
    switch (event.kind) {
      case 'contact_registered':
        if (!this.contacts.has(event.externalId)) this.create(event.externalId, event.provisional);
        return;
      case 'identifier_linked':
      case 'identifier_reassigned': {
        const id = event.identifier;
        if (id === null) return;
        const key = identifierKey(id);
        const row = this.identifiers.get(key) ?? {
          kind: id.kind,
          keyedHash: id.keyedHash,
          before: null,
          owner: null,
          write: null,
        };
        row.owner = event.externalId;
        row.write = { sealedValue: id.sealedValue, dataKeyId: id.dataKeyId, eventId: event.eventId };
        this.identifiers.set(key, row);
        this.touch(event.externalId, event.provisional);
        if (event.kind === 'identifier_reassigned' && event.otherExternalId !== null) {
          this.touch(event.otherExternalId, false);
        }
        return;
      }
      case 'contacts_merged': {
        const absorbed = event.otherExternalId;
        if (absorbed === null || absorbed === event.externalId) return;
        // Only provisional contacts are ever merged: one the log has not registered yet was one.
        this.touch(absorbed, true);
        const node = this.contacts.get(absorbed);
        if (node !== undefined && node.mergedInto === null) node.mergedInto = event.externalId;
        for (const row of this.identifiers.values()) if (row.owner === absorbed) row.owner = event.externalId;
        this.touch(event.externalId, event.provisional);
        return;
      }
      case 'contact_erased': {
        // Erasure forgets the contact's identifiers; the row stays, marked, so it is never re-created.
        this.touch(event.externalId, event.provisional);
        const node = this.contacts.get(event.externalId);
        if (node !== undefined) node.erased = true;
        for (const row of this.identifiers.values()) if (row.owner === event.externalId) row.owner = null;
        return;
      }
      case 'unknown':
        return;
    }
  }

  /** A preference event names its contact: it is created (real) when unknown, its version bumped. */
  touchContact(externalId: string): void {
    this.touch(externalId, false);
  }

  /**
   * Merge pointers followed to the survivor for every identifier: what the live tables hold after a
   * merge (the statement moves the absorbed contact's rows). A rebuild that met a link after the merge
   * that absorbs its contact (different partitions) ends the same way.
   */
  settleOwnersOnSurvivors(): void {
    for (const row of this.identifiers.values()) {
      if (row.owner === null) continue;
      let owner = row.owner;
      for (let hops = 0; hops < 32; hops += 1) {
        const next = this.contacts.get(owner)?.mergedInto ?? null;
        if (next === null) break;
        owner = next;
      }
      row.owner = owner;
    }
  }

  writes(): GraphWrites {
    const newContacts: GraphWrites['newContacts'][number][] = [];
    const merges: GraphWrites['merges'][number][] = [];
    const touched: string[] = [];
    const erased: string[] = [];
    for (const [externalId, c] of this.contacts) {
      if (!c.existed) {
        newContacts.push({
          externalId,
          provisional: c.provisional,
          mergedInto: c.mergedInto,
          erased: c.erased,
        });
        continue;
      }
      if (c.mergedInto !== c.mergedBefore && c.mergedInto !== null)
        merges.push({ externalId, into: c.mergedInto });
      if (c.touched) touched.push(externalId);
      if (c.erased) erased.push(externalId);
    }
    const newIdentifiers: GraphWrites['newIdentifiers'][number][] = [];
    const movedIdentifiers: GraphWrites['movedIdentifiers'][number][] = [];
    for (const row of this.identifiers.values()) {
      if (row.before === null) {
        if (row.owner === null || row.write === null) continue;
        newIdentifiers.push({
          kind: row.kind,
          keyedHash: row.keyedHash,
          externalId: row.owner,
          ...row.write,
        });
      } else if (row.owner !== null && (row.owner !== row.before || row.write !== null)) {
        movedIdentifiers.push({
          kind: row.kind,
          keyedHash: row.keyedHash,
          before: row.before,
          externalId: row.owner,
          write: row.write,
        });
      } else if (row.owner === null && this.contacts.get(row.before)?.erased !== true) {
        throw new Error(`removing identifiers of existing contacts is not supported (${row.kind})`);
      }
    }
    return { newContacts, merges, touched, erased, newIdentifiers, movedIdentifiers };
  }

  private ownerOf(ref: IdentifierRef): string | null {
    return this.identifiers.get(identifierKey(ref))?.owner ?? null;
  }

  private create(externalId: string, provisional: boolean): void {
    this.contacts.set(externalId, {
      existed: false,
      provisional,
      mergedBefore: null,
      mergedInto: null,
      erased: false,
      touched: true,
    });
  }

  private touch(externalId: string, provisional: boolean): void {
    const node = this.contacts.get(externalId);
    if (node === undefined) this.create(externalId, provisional);
    else node.touched = true;
  }
}
