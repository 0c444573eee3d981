import { randomUUID } from 'node:crypto';
import { Controller, Delete, Get, HttpCode, Inject, Param, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { httpError } from '@optstream/http-errors';
import { ApiKeyGuard, RequireScope } from '../http/api-key.guard';
import { PROJECTOR_RUNTIME, type ProjectorRuntime } from '../projector-runtime';
import { erasureMessage } from '@optstream/erasure-requests';
import { externalIdParam } from './params';
import { contactView, historyView } from './views';

/**
 * Data-subject requests (GDPR art. 15, 17, 20), admin scope.
 * - Erasure is accepted, not done: the request goes through the log like every other fact; the
 *   identity resolver destroys the contact's data key, then the read model marks it erased and the
 *   connectors ask the platforms to delete the person. Every request is carried out on its own (its
 *   own id), so repeating it is harmless and never a no-op because an earlier one found nobody.
 * - Export: everything the read model holds about the person. Addresses are held here only as keyed
 *   hashes; `optstream export` (CLI, with the master keys) adds the decrypted email and phone.
 */
@ApiTags('data-subject requests')
@ApiSecurity('apiKey')
@UseGuards(ApiKeyGuard)
@RequireScope('admin')
@Controller('v1')
export class DataSubjectController {
  constructor(@Inject(PROJECTOR_RUNTIME) private readonly runtime: ProjectorRuntime) {}

  @Get('contacts/:externalId/export')
  @ApiOperation({ summary: 'Everything held about a contact: identifiers, current consent, full history' })
  async export(@Param('externalId') externalId: string): Promise<object> {
    const id = externalIdParam(externalId);
    const view = await this.runtime.readModel.contact(id);
    if (!view) throw httpError(404, 'CONTACT_NOT_FOUND', 'no contact with this externalId');
    const history = await this.runtime.readModel.history(id);
    return {
      exportedAt: new Date().toISOString(),
      contact: contactView(view),
      history: history.map(historyView),
    };
  }

  @Delete('contacts/:externalId')
  @HttpCode(202)
  @ApiOperation({ summary: 'Erase a contact: crypto-shred its personal data, keep its suppression hashes' })
  async erase(@Param('externalId') externalId: string): Promise<object> {
    const id = externalIdParam(externalId);
    if (!(await this.runtime.readModel.contact(id)))
      throw httpError(404, 'CONTACT_NOT_FOUND', 'no contact with this externalId');
    const message = erasureMessage(this.runtime.hashKey, {
      externalId: id,
      requestedAt: Date.now(),
      requestId: randomUUID(),
    });
    await this.runtime.publisher.publish(this.runtime.config.INBOUND_TOPIC, [message]);
    return { externalId: id, erasureRequestId: message.eventId, status: 'accepted' };
  }
}
