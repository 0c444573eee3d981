import {
  Controller,
  Get,
  HttpCode,
  HttpException,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  formValue,
  mapLinkSubmission,
  type LinkChange,
  type LinkSubmission,
} from '@optstream/ingestion-domain';
import { SpoolFullError } from '@optstream/ingestion-spool';
import {
  centerRows,
  chooseLanguage,
  consentText,
  messagesFor,
  parseCenterForm,
  renderCenter,
  renderConfirmDone,
  renderConfirmQuestion,
  renderRefusal,
  renderUnsubscribeConfirm,
  renderUnsubscribeDone,
  REFERRER_POLICY,
  type LinkPageContext,
  type Messages,
  type Page,
  type Refusal,
} from '@optstream/ingestion-preference-pages';
import { verifyLinkToken, type LinkClaims, type LinkPurpose } from '@optstream/shared-link-tokens';
import { GATEWAY_RUNTIME, GatewayRuntime } from '../gateway-runtime';
import { formBody, header } from '../http/request-body';
import { csrfFor, csrfMatches, LinkPages, newSubmissionId, PAGE_VERSION, SUBMISSION_ID } from './link-pages';

class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal);
  }
}

/**
 * The pages behind signed links (docs/preference-center.md). GETs only show; every change is a POST that
 * goes through the same intake as the webhooks (published, or spooled while Kafka is down) with its evidence.
 *   /u/<token>  one-click unsubscribe (RFC 8058)     /p/<token>  preference center
 *   /c/<token>  double opt-in confirmation
 */
@Controller()
export class LinksController {
  constructor(@Inject(GATEWAY_RUNTIME) private readonly runtime: GatewayRuntime) {}

  @Get('u/:token')
  async unsubscribeQuestion(
    @Param('token') token: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    await this.page(request, reply, async (pages, m) => {
      const claims = this.verified(pages, token, 'unsubscribe');
      await this.refuseErased(pages, claims, false);
      return renderUnsubscribeConfirm(this.context(pages, m, claims), `/u/${token}`);
    });
  }

  /** What Gmail, Yahoo and the confirm button send: `List-Unsubscribe=One-Click`, form-encoded. */
  @Post('u/:token')
  @HttpCode(200)
  async unsubscribe(
    @Param('token') token: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    await this.page(request, reply, async (pages, m, language) => {
      const claims = this.verified(pages, token, 'unsubscribe');
      if (formValue(this.form(request), 'List-Unsubscribe') !== 'One-Click') throw new Refused('form');
      // An opt-out goes through even if the read API is down: honouring it is always safe.
      await this.refuseErased(pages, claims, false);
      await this.submit(request, claims, language, {
        ref: `${claims.tokenId}.${this.runtime.now()}`,
        kind: 'unsubscribe_link',
        point: 'one-click',
        source: 'Email One-Click Unsubscribe',
        changes: [
          { channel: claims.channel ?? 'email', topic: claims.topic ?? null, status: 'unsubscribed' },
        ],
      });
      return renderUnsubscribeDone(this.context(pages, m, claims), null);
    });
  }

  @Get('p/:token')
  async center(
    @Param('token') token: string,
    @Query('saved') saved: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    await this.page(request, reply, async (pages, m) => {
      const claims = this.verified(pages, token, 'preferences');
      const notice = await this.waitForSaved(pages, claims, saved);
      const consent = await this.consentOf(pages, claims);
      return renderCenter({
        brand: pages.brand,
        messages: m,
        rows: centerRows(consent, pages.topics.catalogue.topics, m),
        action: `/p/${token}`,
        csrf: csrfFor(pages, claims.tokenId),
        submission: newSubmissionId(),
        notice,
      });
    });
  }

  /** The center's form; answered with a redirect to the page (POST-redirect-GET), which shows the new state. */
  @Post('p/:token')
  async saveCenter(
    @Param('token') token: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    await this.page(request, reply, async (pages, m, language) => {
      const claims = this.verified(pages, token, 'preferences');
      const fields = this.checkedForm(pages, request, claims);
      const submission = formValue(fields, 'submission') ?? '';
      if (!SUBMISSION_ID.test(submission)) throw new Refused('form');
      const consent = await this.consentOf(pages, claims);
      const parsed = parseCenterForm(
        new Map(Object.entries(fields).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : []))),
        centerRows(consent, pages.topics.catalogue.topics, m),
      );
      if (!parsed.ok) throw new Refused('form');
      const now = this.runtime.now();
      // Email on again waits for the confirmation link: `pending` is not consent (double opt-in).
      const changes: LinkChange[] = parsed.changes.map((c) =>
        c.channel === 'email' && c.topic === null && c.choice === 'subscribed'
          ? { channel: 'email', topic: null, status: 'pending', pendingExpiresAt: now + pages.pendingMs }
          : { channel: c.channel, topic: c.topic, status: c.choice },
      );
      const ref = `${claims.tokenId}.${submission}`;
      await this.submit(request, claims, language, {
        ref,
        kind: 'preference_center',
        point: 'preference-center',
        source: 'Preference Center',
        changes,
      });
      const pending = changes.some((c) => c.status === 'pending');
      return { redirect: `/p/${token}?saved=${ref}.${changes.length}${pending ? '.pending' : ''}` };
    });
  }

  @Get('c/:token')
  async confirmQuestion(
    @Param('token') token: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    await this.page(request, reply, async (pages, m) => {
      const claims = this.verified(pages, token, 'confirm');
      await this.refuseErased(pages, claims, true);
      return renderConfirmQuestion(this.context(pages, m, claims), `/c/${token}`);
    });
  }

  @Post('c/:token')
  @HttpCode(200)
  async confirm(@Param('token') token: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    await this.page(request, reply, async (pages, m, language) => {
      const claims = this.verified(pages, token, 'confirm');
      if (formValue(this.form(request), 'confirm') !== 'yes') throw new Refused('form');
      // A subscription is consent: it needs to know the contact is still there.
      await this.refuseErased(pages, claims, true);
      await this.submit(request, claims, language, {
        ref: `${claims.tokenId}.confirm`,
        kind: 'double_opt_in_confirmation',
        point: 'double-opt-in',
        source: 'Double Opt-In Confirmation',
        changes: [{ channel: claims.channel ?? 'email', topic: claims.topic ?? null, status: 'subscribed' }],
      });
      return renderConfirmDone(this.context(pages, m, claims));
    });
  }

  /** Renders a page or a refusal; never a JSON error, never a stack trace. */
  private async page(
    request: FastifyRequest,
    reply: FastifyReply,
    work: (pages: LinkPages, messages: Messages, language: string) => Promise<Page | { redirect: string }>,
  ): Promise<void> {
    const language = chooseLanguage(header(request, 'accept-language'));
    const messages = messagesFor(language);
    const pages = this.runtime.linkPages;
    if (!pages) {
      void reply
        .status(404)
        .type('text/plain; charset=utf-8')
        .send('links are not enabled on this gateway (set LINK_TOKEN_KEYS)');
      return;
    }
    let result: Page | { redirect: string };
    try {
      result = await work(pages, messages, language);
      this.runtime.metrics.invocations.inc({ endpoint: 'links', outcome: 'accepted' });
    } catch (error) {
      const refusal = refusalOf(error, this.runtime);
      this.runtime.metrics.invocations.inc({
        endpoint: 'links',
        outcome: refusal === 'unavailable' ? 'unavailable' : 'bad_request',
      });
      result = renderRefusal(pages.brand, messages, refusal);
    }
    void reply
      .header('cache-control', 'no-store')
      .header('referrer-policy', REFERRER_POLICY)
      .header('x-content-type-options', 'nosniff')
      .header('x-frame-options', 'DENY');
    if ('redirect' in result) {
      void reply.status(303).header('location', result.redirect).send();
      return;
    }
    void reply
      .status(result.status)
      .header('content-security-policy', result.csp)
      .type('text/html; charset=utf-8')
      .send(result.html);
  }

  private verified(pages: LinkPages, token: string, purpose: LinkPurpose): LinkClaims {
    const result = verifyLinkToken(token, {
      ring: pages.ring,
      audience: pages.audience,
      purposes: [purpose],
      nowMs: this.runtime.now(),
    });
    if (result.ok) return result.claims;
    this.runtime.log.info({ code: result.code, reason: result.reason, purpose }, 'link refused');
    throw new Refused(result.code === 'EXPIRED' ? 'expired' : 'invalid');
  }

  /** An erased contact gets a clear page and no change; `strict`: also refuse when the read API is down. */
  private async refuseErased(pages: LinkPages, claims: LinkClaims, strict: boolean): Promise<void> {
    if (!pages.readApi) return;
    const lookup = await pages.readApi.contact(claims.externalId);
    if (lookup.kind === 'erased') throw new Refused('erased');
    if (lookup.kind === 'unavailable') {
      this.runtime.log.warn({ reason: lookup.reason }, 'read API unavailable for a link page');
      if (strict) throw new Refused('unavailable');
    }
  }

  private async consentOf(pages: LinkPages, claims: LinkClaims) {
    const lookup = pages.readApi ? await pages.readApi.contact(claims.externalId) : undefined;
    if (!lookup || lookup.kind === 'unavailable') throw new Refused('unavailable');
    if (lookup.kind === 'erased') throw new Refused('erased');
    return lookup.kind === 'found' ? lookup.consent : { email: null, sms: null, push: null };
  }

  /**
   * After a save, the page waits (bounded) until the read model holds the saved changes, so the person
   * sees their new state rather than the one before it.
   */
  private async waitForSaved(pages: LinkPages, claims: LinkClaims, saved: string | undefined) {
    const match = /^([A-Za-z0-9_-]+\.[A-Za-z0-9_-]{16})\.(\d{1,2})(\.pending)?$/.exec(saved ?? '');
    if (!match || !pages.readApi) return null;
    const [, ref = '', count = '0', pending] = match;
    const deadline = this.runtime.now() + 5_000;
    while (
      (await pages.readApi.recorded(claims.externalId, ref)) < Number(count) &&
      this.runtime.now() < deadline
    )
      await new Promise((resolve) => setTimeout(resolve, 150));
    return pending ? ('confirmSent' as const) : ('saved' as const);
  }

  private form(request: FastifyRequest) {
    const type = (header(request, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') throw new Refused('form');
    return formBody(request);
  }

  /** The center's form: same origin (when the browser says), and the CSRF value of this link. */
  private checkedForm(pages: LinkPages, request: FastifyRequest, claims: LinkClaims) {
    const origin = header(request, 'origin');
    if (origin !== undefined && pages.origin !== undefined && origin !== pages.origin)
      return this.refusedForm(`Origin ${origin.slice(0, 100)} is not ${pages.origin}`);
    const fields = this.form(request);
    if (!csrfMatches(pages, claims.tokenId, formValue(fields, 'csrf')))
      return this.refusedForm('the CSRF value does not match the link');
    return fields;
  }

  /** Logged with its reason (never the token), so a refused save can be told apart from a bad link. */
  private refusedForm(reason: string): never {
    this.runtime.log.info({ reason }, 'link form refused');
    throw new Refused('form');
  }

  private async submit(
    request: FastifyRequest,
    claims: LinkClaims,
    language: string,
    what: {
      ref: string;
      kind: LinkSubmission['evidence']['kind'];
      point: string;
      source: string;
      changes: LinkChange[];
    },
  ): Promise<void> {
    if (what.changes.length === 0) return;
    const text = consentText(language);
    const now = this.runtime.now();
    const facts = mapLinkSubmission({
      externalId: claims.externalId,
      submissionRef: what.ref,
      receivedAt: now,
      changes: what.changes,
      evidence: {
        kind: what.kind,
        collectionPoint: `${what.point}@${PAGE_VERSION} token:${claims.tokenId}`,
        consentTextId: text.id,
        consentTextVersion: text.version,
      },
      sourceOfChange: what.source,
      ipAddress: request.ip ?? null,
      userAgent: header(request, 'user-agent')?.slice(0, 512) ?? null,
    });
    await this.runtime.intake.intake({
      endpoint: 'links',
      mode: 'single',
      results: facts,
      rawBody: Buffer.alloc(0),
      receivedAt: now,
      context: { traceparent: header(request, 'traceparent') },
    });
  }

  private context(pages: LinkPages, messages: Messages, claims: LinkClaims): LinkPageContext {
    const topic = claims.topic ? pages.topics.topic(claims.topic) : undefined;
    return {
      brand: pages.brand,
      messages,
      channel: claims.channel ?? 'email',
      topicName: topic?.name ?? claims.topic ?? null,
    };
  }
}

function refusalOf(error: unknown, runtime: GatewayRuntime): Refusal {
  if (error instanceof Refused) return error.refusal;
  if (error instanceof SpoolFullError) return 'unavailable';
  // A body the gateway refuses to parse (too many fields) is a bad form, not an outage.
  if (error instanceof HttpException && error.getStatus() < 500) return 'form';
  runtime.log.error({ err: (error as Error).message }, 'link page failed');
  return 'unavailable';
}
