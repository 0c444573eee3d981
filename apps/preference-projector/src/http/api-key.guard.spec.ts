import { Controller, Get, type Type } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { hashApiKey, type Scope } from '../config/api-keys';
import type { ProjectorRuntime } from '../projector-runtime';
import { ProjectorModule } from '../projector.module';
import { ApiKeyGuard, PublicRoute, RequireScope } from './api-key.guard';

const keys: [string, Scope][] = [
  ['read-key-0123456789abcdef', 'read'],
  ['admin-key-0123456789abcdef', 'admin'],
];
const runtime = {
  config: { READ_API_KEYS: new Map(keys.map(([key, scope]) => [hashApiKey(key), new Set([scope])])) },
} as unknown as ProjectorRuntime;
const guard = new ApiKeyGuard(runtime, new Reflector());

@Controller()
class Routes {
  @Get('forgotten')
  forgotten(): void {}

  @Get('scoped')
  @RequireScope('read')
  scoped(): void {}

  @Get('open')
  @PublicRoute()
  open(): void {}
}

/** What the guard is asked for a call of `handler` with `key` (undefined: no header). */
function check(handler: keyof Routes, key: string | undefined): unknown {
  const request = { headers: key === undefined ? {} : { 'x-api-key': key } };
  const context = new ExecutionContextHost([request, {}], Routes, Routes.prototype[handler]);
  try {
    return guard.canActivate(context);
  } catch (error) {
    return (error as { getResponse(): unknown }).getResponse();
  }
}

describe('ApiKeyGuard', () => {
  it('denies a route that declares no scope, even to an admin key', () => {
    const denied = {
      error: { code: 'FORBIDDEN', reason: 'this route declares no scope, so no key may call it' },
    };
    expect(check('forgotten', 'admin-key-0123456789abcdef')).toEqual(denied);
    expect(check('forgotten', 'read-key-0123456789abcdef')).toEqual(denied);
    expect(check('forgotten', undefined)).toEqual({
      error: { code: 'UNAUTHORIZED', reason: 'x-api-key header is missing' },
    });
  });

  it('lets a key through a route of its scope (admin: every scope), and anyone through a public one', () => {
    expect(check('scoped', 'read-key-0123456789abcdef')).toBe(true);
    expect(check('scoped', 'admin-key-0123456789abcdef')).toBe(true);
    expect(check('scoped', 'not-a-key-0123456789')).toEqual({
      error: { code: 'UNAUTHORIZED', reason: 'x-api-key is not a known key' },
    });
    expect(check('open', undefined)).toBe(true);
  });

  it('guards every route of the read API, and each declares its scope or is public', () => {
    const module = ProjectorModule.withRuntime(runtime);
    expect(module.providers).toContainEqual({ provide: APP_GUARD, useClass: ApiKeyGuard });
    const reflector = new Reflector();
    const undeclared = (module.controllers ?? []).flatMap((controller: Type) =>
      Object.getOwnPropertyNames(controller.prototype)
        .filter((name) => Reflect.hasMetadata(PATH_METADATA, controller.prototype[name] as object))
        .filter((name) => {
          const targets = [controller.prototype[name] as () => unknown, controller];
          return (
            reflector.getAllAndOverride('optstream:scope', targets) === undefined &&
            reflector.getAllAndOverride('optstream:public', targets) !== true
          );
        })
        .map((name) => `${controller.name}.${name}`),
    );
    expect(undeclared).toEqual([]);
  });
});
