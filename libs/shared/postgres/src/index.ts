export * from './database';
export * from './transient';
