export * from './wait-for';
export * from './test-stack';
export * from './read-topic';
export * from './fixtures';
export * from './tail-topic';
export * from './service-process';
export * from './held-request';
export * from './local-segment-cdn';
