export * from './derive-id';
