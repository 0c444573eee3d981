export * from './email';
export * from './phone';
export * from './time';
export * from './time-sanity';
