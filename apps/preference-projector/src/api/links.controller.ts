import { randomBytes } from 'node:crypto';
import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { httpError } from '@optstream/http-errors';
import {
  keyRingFromSettings,
  linkMintContext,
  LINK_CHANNELS,
  mintContactLinks,
  type LinkChannel,
} from '@optstream/shared-link-tokens';
import { RequireScope } from '../http/api-key.guard';
import { PROJECTOR_RUNTIME, type ProjectorRuntime } from '../projector-runtime';
import { externalIdParam } from './params';

const TOPIC = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/**
 * Mints the signed links a sender puts into each message (docs/preference-center.md): one-click
 * unsubscribe and the preference center. Its own scope, `links`: a sending system needs no read access.
 */
@ApiTags('links')
@ApiSecurity('apiKey')
@RequireScope('links')
@Controller('v1')
export class LinksController {
  constructor(@Inject(PROJECTOR_RUNTIME) private readonly runtime: ProjectorRuntime) {}

  @Get('contacts/:externalId/links')
  @ApiOperation({
    summary: 'Signed unsubscribe and preference-center URLs for a contact, with the RFC 8058 headers',
  })
  @ApiQuery({ name: 'channel', required: false, description: 'email (default), sms or push' })
  @ApiQuery({ name: 'topic', required: false, description: 'unsubscribe from this topic only' })
  async links(
    @Param('externalId') externalId: string,
    @Query('channel') channel: string | undefined,
    @Query('topic') topic: string | undefined,
  ): Promise<object> {
    const id = externalIdParam(externalId);
    const config = this.runtime.config;
    const ring = keyRingFromSettings(config);
    if (!ring.ok || !config.LINK_BASE_URL)
      throw httpError(
        503,
        'LINKS_NOT_CONFIGURED',
        ring.ok ? 'links are not configured: set LINK_BASE_URL' : ring.reason,
      );
    const view = await this.runtime.readModel.contact(id);
    if (!view) throw httpError(404, 'CONTACT_NOT_FOUND', 'no contact with this externalId');
    if (view.erasedAt !== null)
      throw httpError(410, 'CONTACT_ERASED', 'this contact was erased; no link is minted for it');
    return mintContactLinks(
      { externalId: id, channel: channelParam(channel), ...(topicParam(topic) ? { topic } : {}) },
      linkMintContext(config, ring.ring, config.LINK_BASE_URL, {
        nowMs: Date.now(),
        randomId: () => randomBytes(16),
      }),
    );
  }
}

function channelParam(value: string | undefined): LinkChannel {
  if (value === undefined || value === '') return 'email';
  if (!LINK_CHANNELS.includes(value as LinkChannel))
    throw httpError(400, 'INVALID_CHANNEL', `channel must be one of ${LINK_CHANNELS.join(', ')}`);
  return value as LinkChannel;
}

function topicParam(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!TOPIC.test(value))
    throw httpError(
      400,
      'INVALID_TOPIC',
      'topic must be 1-64 characters of [a-z0-9_-], starting with a letter or digit',
    );
  return value;
}
