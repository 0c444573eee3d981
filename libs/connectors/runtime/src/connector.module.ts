import { DynamicModule, Module } from '@nestjs/common';
import { CONNECTOR_RUNTIME, type ConnectorRuntime } from './connector-runtime';
import { ConnectorHealthController } from './health.controller';

@Module({})
export class ConnectorModule {
  static withRuntime(runtime: ConnectorRuntime): DynamicModule {
    return {
      module: ConnectorModule,
      controllers: [ConnectorHealthController],
      providers: [{ provide: CONNECTOR_RUNTIME, useValue: runtime }],
    };
  }
}
