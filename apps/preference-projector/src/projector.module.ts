import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ContactsController } from './api/contacts.controller';
import { DataSubjectController } from './api/data-subject.controller';
import { LinksController } from './api/links.controller';
import { ListingsController } from './api/listings.controller';
import { ApiKeyGuard } from './http/api-key.guard';
import { HealthController } from './http/health.controller';
import { PROJECTOR_RUNTIME, type ProjectorRuntime } from './projector-runtime';

@Module({})
export class ProjectorModule {
  static withRuntime(runtime: ProjectorRuntime): DynamicModule {
    return {
      module: ProjectorModule,
      controllers: [
        ContactsController,
        ListingsController,
        DataSubjectController,
        LinksController,
        HealthController,
      ],
      // Every route is checked, so one added without a scope is denied rather than open.
      providers: [
        { provide: PROJECTOR_RUNTIME, useValue: runtime },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
      ],
    };
  }
}
