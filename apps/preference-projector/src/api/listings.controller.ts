import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import {
  Listings,
  type AudienceFilter,
  type Listing,
  type PageBounds,
} from '@optstream/preferences-data-access';
import { CHANNEL_ORDER, type KnownChannel, type KnownStatus } from '@optstream/preferences-domain';
import type { FastifyReply } from 'fastify';
import { RequireScope } from '../http/api-key.guard';
import { httpError } from '@optstream/http-errors';
import { PROJECTOR_RUNTIME, type ProjectorRuntime } from '../projector-runtime';
import { CONTENT_TYPE, encodeRows, type Format } from './stream-format';

const STATUSES: readonly string[] = ['subscribed', 'unsubscribed'];
/** A catalogue topic id (docs/consent-model.md, "Topic catalogue"). */
const TOPIC_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

function topicParam(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!TOPIC_ID.test(raw))
    throw httpError(
      400,
      'INVALID_TOPIC',
      'topic must be a catalogue topic id (lower-case letters, digits, -)',
    );
  return raw;
}
const DEFAULT_LIMIT = 1_000;

/**
 * Audiences and suppression lists: keyset pages in external_id order, streamed. The next page's
 * cursor is in the `x-next-cursor` header (and a `link: rel="next"`), absent on the last page.
 */
@ApiTags('audiences')
@ApiSecurity('apiKey')
@RequireScope('audiences')
@Controller('v1')
export class ListingsController {
  private readonly listings: Listings;

  constructor(@Inject(PROJECTOR_RUNTIME) private readonly runtime: ProjectorRuntime) {
    this.listings = new Listings(runtime.db);
  }

  @Get('audiences')
  @ApiOperation({
    summary:
      "Contacts matching a channel-status combination, streamed (NDJSON or CSV); with `topic`, each channel's status for that topic",
  })
  @ApiQuery({ name: 'email', required: false, enum: STATUSES })
  @ApiQuery({ name: 'sms', required: false, enum: STATUSES })
  @ApiQuery({ name: 'push', required: false, enum: STATUSES })
  @ApiQuery({
    name: 'topic',
    required: false,
    description:
      "a catalogue topic id: statuses are the topic's (its own choice, overridden by a channel-wide opt-out; else the channel's)",
  })
  @ApiQuery({ name: 'format', required: false, enum: ['ndjson', 'csv'] })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  async audiences(
    @Query() query: Record<string, string | undefined>,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const filter: Partial<Record<KnownChannel, KnownStatus>> = {};
    for (const channel of CHANNEL_ORDER) {
      const status = query[channel];
      if (status === undefined) continue;
      if (!STATUSES.includes(status))
        throw httpError(400, 'INVALID_STATUS', `${channel} must be one of ${STATUSES.join(', ')}`);
      filter[channel] = status as KnownStatus;
    }
    if (Object.keys(filter).length === 0)
      throw httpError(
        400,
        'MISSING_FILTER',
        'give at least one of email, sms, push (subscribed | unsubscribed)',
      );
    const topic = topicParam(query['topic']);
    const version = await this.activeVersion();
    await this.stream(
      reply,
      '/v1/audiences',
      query,
      this.listings.audience(version, filter as AudienceFilter, topic),
      ['externalId', 'email', 'sms', 'push'],
    );
  }

  @Get('suppressions/:channel')
  @ApiOperation({
    summary:
      'Who must not be contacted on a channel (with `topic`: on that topic of it), with keyed hashes of their addresses',
  })
  @ApiParam({ name: 'channel', enum: CHANNEL_ORDER })
  @ApiQuery({
    name: 'topic',
    required: false,
    description: 'a catalogue topic id: the channel-wide opt-outs and the opt-outs of that topic',
  })
  @ApiQuery({ name: 'format', required: false, enum: ['ndjson', 'csv'] })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  async suppressions(
    @Param('channel') channel: string,
    @Query() query: Record<string, string | undefined>,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (!(CHANNEL_ORDER as readonly string[]).includes(channel))
      throw httpError(404, 'UNKNOWN_CHANNEL', `channel must be one of ${CHANNEL_ORDER.join(', ')}`);
    const topic = topicParam(query['topic']);
    const version = await this.activeVersion();
    await this.stream(
      reply,
      `/v1/suppressions/${channel}`,
      query,
      this.listings.suppressions(version, channel as KnownChannel, topic),
      ['externalId', 'since', 'sourceOfChange', 'keyedHashes'],
    );
  }

  private async activeVersion(): Promise<number> {
    const version = await this.runtime.readModel.version();
    if (version === null) throw httpError(503, 'NOT_READY', 'the read model has no active version yet');
    return version;
  }

  private async stream<R extends object>(
    reply: FastifyReply,
    path: string,
    query: Record<string, string | undefined>,
    listing: Listing<R>,
    columns: readonly (keyof R & string)[],
  ): Promise<void> {
    const format = parseFormat(query['format']);
    const limit = parseLimit(query['limit'], this.runtime.config.MAX_PAGE_SIZE);
    const after = parseCursor(query['cursor']);
    const bounds: PageBounds = await this.listings.bounds(listing, after, limit);
    if (bounds.more && bounds.last !== null) {
      const cursor = Buffer.from(bounds.last, 'utf8').toString('base64url');
      const next = new URLSearchParams({ ...definedOnly(query), cursor });
      void reply.header('x-next-cursor', cursor).header('link', `<${path}?${next.toString()}>; rel="next"`);
    }
    await reply
      .type(CONTENT_TYPE[format])
      .send(encodeRows(this.listings.rows(listing, bounds), format, columns));
  }
}

function parseFormat(value: string | undefined): Format {
  if (value === undefined || value === 'ndjson') return 'ndjson';
  if (value === 'csv') return 'csv';
  throw httpError(400, 'INVALID_FORMAT', 'format must be ndjson or csv');
}

function parseLimit(value: string | undefined, max: number): number {
  if (value === undefined) return Math.min(DEFAULT_LIMIT, max);
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw httpError(400, 'INVALID_LIMIT', `limit must be an integer from 1 to ${max}`);
  return n;
}

/** Cursors are opaque to clients (base64url of the last externalId) so the key can change later. */
function parseCursor(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  const decoded = Buffer.from(value, 'base64url').toString('utf8');
  if (decoded.length === 0 || Buffer.from(decoded, 'utf8').toString('base64url') !== value)
    throw httpError(400, 'INVALID_CURSOR', 'cursor is not one this API issued');
  return decoded;
}

const definedOnly = (query: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined));
