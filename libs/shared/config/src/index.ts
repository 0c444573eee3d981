export * from './config-error';
export * from './load-config';
export * from './fields';
export * from './kafka-config';
export * from './run-service';
export * from './link-settings';
