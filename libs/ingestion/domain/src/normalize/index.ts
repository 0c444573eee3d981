export * from './email';
export * from './phone';
export * from './time';
