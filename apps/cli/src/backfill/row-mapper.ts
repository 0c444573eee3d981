import {
  normalizeEmail,
  normalizeOpaqueId,
  normalizePhone,
  parseIso8601,
  parseMailchimpFiredAt,
} from '@optstream/ingestion-domain';
import type { BackfillChannel, BackfillStatus, ChannelRule, Mapping } from './formats';

export type RejectCode =
  | 'BAD_EMAIL'
  | 'BAD_PHONE'
  | 'BAD_EXTERNAL_ID'
  | 'MISSING_IDENTIFIER'
  | 'MISSING_TIMESTAMP'
  | 'BAD_TIMESTAMP'
  | 'BAD_STATUS'
  | 'UNKNOWN_COLUMN'
  | 'NO_CONSENT';

export interface Identifiers {
  readonly externalId: string | null;
  readonly email: string | null;
  readonly phone: string | null;
}

export interface RowFact {
  readonly channel: BackfillChannel;
  readonly status: BackfillStatus;
  readonly occurredAt: number;
}

export type MappedRow =
  | { readonly ok: true; readonly identifiers: Identifiers; readonly facts: readonly RowFact[] }
  | { readonly ok: false; readonly code: RejectCode; readonly reason: string };

interface CompiledRule {
  readonly rule: ChannelRule;
  readonly status: number;
  readonly fromColumns: readonly { readonly index: number; readonly status: BackfillStatus }[];
  readonly timestamp: readonly number[];
  readonly when: { readonly index: number; readonly equals: ReadonlySet<string> } | null;
  readonly values: ReadonlyMap<string, BackfillStatus | null>;
}

/** A mapping bound to one file's header: column positions resolved once, then `map(row)` per row. */
export class RowMapper {
  readonly unknownColumns: readonly string[];
  private readonly externalId: number;
  private readonly email: number;
  private readonly phone: number;
  private readonly timestamp: readonly number[];
  private readonly rules: readonly CompiledRule[];
  private readonly unknownIndexes: readonly number[];

  constructor(
    readonly mapping: Mapping,
    private readonly header: readonly string[],
    private readonly defaultRegion: string,
  ) {
    const index = new Map<string, number>();
    header.forEach((h, i) => {
      const key = h.trim().toLowerCase();
      if (!index.has(key)) index.set(key, i);
    });
    const used = new Set<number>();
    const find = (candidates: readonly string[] | undefined): number => {
      for (const c of candidates ?? []) {
        const i = index.get(c.toLowerCase());
        if (i !== undefined) {
          used.add(i);
          return i;
        }
      }
      return -1;
    };
    const findAll = (candidates: readonly string[] | undefined): number[] =>
      (candidates ?? []).flatMap((c) => {
        const i = index.get(c.toLowerCase());
        if (i === undefined) return [];
        used.add(i);
        return [i];
      });
    this.externalId = find(mapping.externalId);
    this.email = find(mapping.email);
    this.phone = find(mapping.phone);
    this.timestamp = findAll(mapping.timestamp);
    this.rules = mapping.channels.map((rule) => {
      const values = new Map<string, BackfillStatus | null>();
      for (const v of rule.values?.subscribed ?? []) values.set(v.toLowerCase(), 'subscribed');
      for (const v of rule.values?.unsubscribed ?? []) values.set(v.toLowerCase(), 'unsubscribed');
      for (const v of rule.values?.ignore ?? []) values.set(v.toLowerCase(), null);
      const whenIndex = rule.when ? find(rule.when.column) : -1;
      return {
        rule,
        status: find(rule.status),
        fromColumns: (rule.statusFromColumns ?? []).flatMap((s) => {
          const i = find([s.column]);
          return i === -1 ? [] : [{ index: i, status: s.status }];
        }),
        timestamp: findAll(rule.timestamp),
        when: rule.when
          ? { index: whenIndex, equals: new Set(rule.when.equals.map((e) => e.toLowerCase())) }
          : null,
        values,
      };
    });
    findAll(mapping.ignore);
    this.unknownIndexes = header.map((_, i) => i).filter((i) => !used.has(i));
    this.unknownColumns = this.unknownIndexes.map((i) => header[i] ?? '');
  }

  /** Everything the mapping can read: false when the header has none of the identifier columns. */
  get hasIdentifierColumn(): boolean {
    return this.externalId !== -1 || this.email !== -1 || this.phone !== -1;
  }

  map(fields: readonly string[]): MappedRow {
    const cell = (i: number): string => (i === -1 ? '' : (fields[i] ?? '').trim());
    if (fields.length > this.header.length && fields.slice(this.header.length).some((f) => f.trim() !== ''))
      return reject(
        'UNKNOWN_COLUMN',
        `the row has ${fields.length} cells, the header names ${this.header.length} columns`,
      );
    if (this.mapping.unknownColumns !== 'ignore') {
      const filled = this.unknownIndexes.filter((i) => cell(i) !== '');
      if (filled.length > 0)
        return reject(
          'UNKNOWN_COLUMN',
          `values in columns the mapping does not know: ${filled.map((i) => this.header[i]).join(', ')}`,
        );
    }
    let externalId: string | null = null;
    if (cell(this.externalId) !== '') {
      const r = normalizeOpaqueId('externalId', cell(this.externalId));
      if (!r.ok) return reject('BAD_EXTERNAL_ID', r.reason);
      externalId = r.value;
    }
    let email: string | null = null;
    if (cell(this.email) !== '') {
      const r = normalizeEmail(cell(this.email));
      if (!r.ok) return reject('BAD_EMAIL', r.reason);
      email = r.value;
    }
    let phone: string | null = null;
    if (cell(this.phone) !== '') {
      const r = normalizePhone(cell(this.phone), this.mapping.defaultRegion ?? this.defaultRegion);
      if (!r.ok) return reject('BAD_PHONE', r.reason);
      phone = r.value;
    }
    if (externalId === null && email === null && phone === null)
      return reject('MISSING_IDENTIFIER', 'no externalId, email or phone in the row');

    const facts: RowFact[] = [];
    for (const rule of this.rules) {
      if (rule.when && !rule.when.equals.has(cell(rule.when.index).toLowerCase())) continue;
      let status: BackfillStatus | null = null;
      const raw = cell(rule.status);
      if (raw !== '') {
        const mapped = rule.values.get(raw.toLowerCase());
        if (mapped === undefined)
          return reject('BAD_STATUS', `${rule.rule.channel} status "${raw}" is not a known value`);
        if (mapped === null) continue;
        status = mapped;
      }
      status ??= rule.fromColumns.find((f) => cell(f.index) !== '')?.status ?? rule.rule.constant ?? null;
      if (status === null) continue;
      const stamp = [...rule.timestamp, ...this.timestamp].map(cell).find((v) => v !== '');
      if (stamp === undefined)
        return reject('MISSING_TIMESTAMP', `no time for the ${rule.rule.channel} status in the row`);
      const at = parseTimestamp(stamp);
      if (typeof at === 'string') return reject('BAD_TIMESTAMP', at);
      facts.push({ channel: rule.rule.channel, status, occurredAt: at });
    }
    if (facts.length === 0) return reject('NO_CONSENT', 'the row holds no consent status to import');
    return { ok: true, identifiers: { externalId, email, phone }, facts };
  }
}

const reject = (code: RejectCode, reason: string): MappedRow => ({ ok: false, code, reason });

const MIN_MS = Date.UTC(2000, 0, 1);
const MAX_MS = Date.UTC(2100, 0, 1);

/**
 * Export timestamps, in the forms the exports use: Unix seconds (9–10 digits) or milliseconds (12–13),
 * ISO 8601 with a zone, `YYYY-MM-DD HH:MM:SS` or a bare date (read as UTC — ASSUMPTION: the exports
 * write UTC). Returns epoch ms, or the reason it is not a time.
 */
export function parseTimestamp(value: string): number | string {
  if (/^\d{9,10}$/.test(value)) return window(Number(value) * 1000, value);
  if (/^\d{12,13}$/.test(value)) return window(Number(value), value);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const r = parseMailchimpFiredAt(`${value} 00:00:00`);
    return r.ok ? r.value : r.reason;
  }
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)) {
    const r = parseMailchimpFiredAt(value);
    return r.ok ? r.value : r.reason;
  }
  const r = parseIso8601(value);
  return r.ok ? r.value : `"${value}" is not a time (Unix seconds or ms, ISO 8601, YYYY-MM-DD HH:MM:SS UTC)`;
}

const window = (ms: number, raw: string): number | string =>
  ms >= MIN_MS && ms < MAX_MS ? ms : `"${raw}" is outside 2000–2100 (wrong unit?)`;
