import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiParam, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { keyedHash } from '@optstream/pii-crypto';
import { foldEvents, profileTraits, stateAsOf } from '@optstream/preferences-domain';
import type { FastifyReply } from 'fastify';
import { RequireScope } from '../http/api-key.guard';
import { httpError } from '@optstream/http-errors';
import { PROJECTOR_RUNTIME, type ProjectorRuntime } from '../projector-runtime';
import { externalIdParam, isoParam, lookupBody } from './params';
import { channelsView, consentView, contactView, historyView } from './views';

@ApiTags('contacts')
@ApiSecurity('apiKey')
@RequireScope('read')
@Controller('v1')
export class ContactsController {
  constructor(@Inject(PROJECTOR_RUNTIME) private readonly runtime: ProjectorRuntime) {}

  @Get('contacts/:externalId')
  @ApiOperation({
    summary: "A contact's identifiers, every channel's status (when, why, from where) and traits",
  })
  @ApiParam({ name: 'externalId' })
  async contact(@Param('externalId') externalId: string): Promise<object> {
    const view = await this.runtime.readModel.contact(externalIdParam(externalId));
    if (!view) throw httpError(404, 'CONTACT_NOT_FOUND', 'no contact with this externalId');
    return contactView(view);
  }

  /**
   * The contact-center call: by keyed hash, never by plaintext. The address travels in the body, not
   * the URL, so it never lands in access logs, proxies or browser history. A lookup changes nothing, so
   * an `idempotency-key` is honoured trivially; it is echoed so a client can match retried answers.
   */
  @Post('lookup')
  @HttpCode(200)
  @ApiOperation({ summary: 'The contact holding an email or an E.164 phone number (given in the body)' })
  @ApiBody({
    schema: {
      type: 'object',
      properties: { email: { type: 'string' }, phone: { type: 'string' } },
      description: 'exactly one of email or phone',
    },
  })
  @ApiHeader({ name: 'idempotency-key', required: false })
  async lookup(
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<object> {
    if (idempotencyKey) void reply.header('idempotency-key', idempotencyKey);
    const { kind, value } = lookupBody(body);
    const view = await this.runtime.readModel.contactByIdentifier(
      kind,
      keyedHash(this.runtime.hashKey, kind, value),
    );
    if (!view) throw httpError(404, 'CONTACT_NOT_FOUND', `no contact holds this ${kind}`);
    return contactView(view);
  }

  @Get('contacts/:externalId/history')
  @ApiOperation({ summary: 'Every consent change of a contact, oldest first, with the effect it had' })
  async history(@Param('externalId') externalId: string): Promise<object> {
    const id = externalIdParam(externalId);
    const entries = await this.runtime.readModel.history(id);
    if (entries.length === 0 && !(await this.runtime.readModel.contact(id)))
      throw httpError(404, 'CONTACT_NOT_FOUND', 'no contact with this externalId');
    return { externalId: id, events: entries.map(historyView) };
  }

  @Get('contacts/:externalId/consent')
  @ApiOperation({
    summary:
      "A contact's channels × topics: each channel-wide and topic choice (status, effectiveStatus) with the evidence of the event behind it",
  })
  async consent(@Param('externalId') externalId: string): Promise<object> {
    const id = externalIdParam(externalId);
    const events = (await this.runtime.readModel.history(id)).map((e) => e.event);
    if (events.length === 0 && !(await this.runtime.readModel.contact(id)))
      throw httpError(404, 'CONTACT_NOT_FOUND', 'no contact with this externalId');
    return { externalId: id, channels: consentView(foldEvents(events).state, events) };
  }

  @Get('contacts/:externalId/as-of')
  @ApiOperation({ summary: "A contact's consent as of a time, folded from its history" })
  @ApiQuery({ name: 'at', description: 'ISO 8601: changes the person made at or before this time' })
  @ApiQuery({
    name: 'knownAt',
    required: false,
    description: 'ISO 8601: only what had been recorded by then',
  })
  async asOf(
    @Param('externalId') externalId: string,
    @Query('at') at: string | undefined,
    @Query('knownAt') knownAt: string | undefined,
  ): Promise<object> {
    const id = externalIdParam(externalId);
    const atMs = isoParam('at', at, true) ?? 0;
    const knownAtMs = isoParam('knownAt', knownAt, false);
    const entries = await this.runtime.readModel.history(id);
    if (entries.length === 0 && !(await this.runtime.readModel.contact(id)))
      throw httpError(404, 'CONTACT_NOT_FOUND', 'no contact with this externalId');
    const events = entries.map((e) => e.event);
    const { state } = stateAsOf(
      events,
      knownAtMs === undefined ? { at: atMs } : { at: atMs, knownAt: knownAtMs },
    );
    return {
      externalId: id,
      at: new Date(atMs).toISOString(),
      ...(knownAtMs === undefined ? {} : { knownAt: new Date(knownAtMs).toISOString() }),
      channels: channelsView(state),
      consent: consentView(state, events),
      traits: profileTraits(state),
    };
  }
}
