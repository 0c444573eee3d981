export * from './topic-catalogue';
export * from './load-catalogue';
