export * from './key-ring';
export * from './link-token';
export * from './mint';
