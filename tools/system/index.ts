export * from './services';
export * from './system-env';
export * from './launch';
export * from './secrets';
export * from './simulated-providers';
export * from './platform-views';
export * from './create-system';
