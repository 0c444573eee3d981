import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { grants, hashApiKey, type Scope } from '../config/api-keys';
import { PROJECTOR_RUNTIME, type ProjectorRuntime } from '../projector-runtime';
import { httpError } from '@optstream/http-errors';

const SCOPE = 'optstream:scope';
const PUBLIC = 'optstream:public';

/** The scope a route needs; `admin` keys pass every check. */
export const RequireScope = (scope: Scope) => SetMetadata(SCOPE, scope);

/** A route anyone may call without a key (health, metrics): the one way out of the key check. */
export const PublicRoute = () => SetMetadata(PUBLIC, true);

/**
 * Applied to every route of the read API (a global guard), and denying by default: a route must
 * declare its scope or be marked public, so a route added without either is closed, not open.
 * 401 without a known `x-api-key`, 403 when the key lacks the route's scope or the route has none.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    @Inject(PROJECTOR_RUNTIME) private readonly runtime: ProjectorRuntime,
    // Named explicitly, like every injection: a runner without decorator metadata (esbuild, tsx) then
    // still injects it.
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC, targets) === true) return true;
    const needed = this.reflector.getAllAndOverride<Scope | undefined>(SCOPE, targets);
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers['x-api-key'];
    const key = Array.isArray(header) ? header[0] : header;
    if (!key) throw httpError(401, 'UNAUTHORIZED', 'x-api-key header is missing');
    const scopes = this.runtime.config.READ_API_KEYS.get(hashApiKey(key));
    if (!scopes) throw httpError(401, 'UNAUTHORIZED', 'x-api-key is not a known key');
    if (needed === undefined)
      throw httpError(403, 'FORBIDDEN', 'this route declares no scope, so no key may call it');
    if (!grants(scopes, needed)) throw httpError(403, 'FORBIDDEN', `this key lacks the "${needed}" scope`);
    return true;
  }
}
